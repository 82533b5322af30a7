package org.r1wb.workbench.action;

import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** When two Shift taps count as one double Shift (times in nanoseconds, as the scene's filter passes them). */
class DoubleShiftTest {

    private static final long MS = 1_000_000L;

    private final AtomicInteger fired = new AtomicInteger();
    private final DoubleShift taps = new DoubleShift(fired::incrementAndGet);

    private void tap(long atMillis) {
        taps.pressed(KeyCode.SHIFT);
        taps.released(KeyCode.SHIFT, atMillis * MS);
    }

    @Test
    void twoQuickTapsFireOnce() {
        tap(1_000);
        tap(1_300);
        assertThat(fired).hasValue(1);
        tap(1_500);
        assertThat(fired).as("the third tap starts a new pair").hasValue(1);
        tap(1_700);
        assertThat(fired).hasValue(2);
    }

    @Test
    void slowTapsDoNot() {
        tap(1_000);
        tap(1_000 + DoubleShift.WINDOW.toMillis() + 1);
        assertThat(fired).hasValue(0);
    }

    @Test
    void aKeyBetweenTheTapsCancelsThePair() {
        tap(1_000);
        taps.pressed(KeyCode.A);
        taps.released(KeyCode.A, 1_050 * MS);
        tap(1_100);
        assertThat(fired).hasValue(0);
    }

    @Test
    void shiftHeldForAnUppercaseLetterIsNotATap() {
        taps.pressed(KeyCode.SHIFT);
        taps.pressed(KeyCode.A);
        taps.released(KeyCode.A, 1_000 * MS);
        taps.released(KeyCode.SHIFT, 1_010 * MS);
        tap(1_200);
        assertThat(fired).hasValue(0);
        tap(1_300);
        assertThat(fired).hasValue(1);
    }
}
