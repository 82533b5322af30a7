package org.r1wb.workbench.action;

import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

import java.time.Duration;

/**
 * Search everywhere on a double Shift, as in IntelliJ: two taps of Shift within {@link #WINDOW}, with no other key
 * between them (so Shift+A, Shift+A typed quickly does not count).
 */
public final class DoubleShift {

    /** How close the two taps must be. */
    public static final Duration WINDOW = Duration.ofMillis(400);

    private static final long NONE = Long.MIN_VALUE;

    private final Runnable action;
    /** When the last clean tap ended, or {@link #NONE}. */
    private long lastTap = NONE;
    /** Whether Shift is down with no other key pressed since: only then is its release a tap. */
    private boolean clean;

    DoubleShift(Runnable action) {
        this.action = action;
    }

    /** Runs {@code action} whenever Shift is tapped twice in {@code scene}. */
    public static void install(Scene scene, Runnable action) {
        DoubleShift taps = new DoubleShift(action);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> taps.pressed(e.getCode()));
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> taps.released(e.getCode(), System.nanoTime()));
    }

    void pressed(KeyCode code) {
        if (code == KeyCode.SHIFT) {
            clean = true;
        } else {
            clean = false;
            lastTap = NONE;
        }
    }

    void released(KeyCode code, long nanos) {
        if (code != KeyCode.SHIFT) {
            return;
        }
        if (!clean) {
            lastTap = NONE;
        } else if (lastTap != NONE && nanos - lastTap <= WINDOW.toNanos()) {
            lastTap = NONE;
            action.run();
        } else {
            lastTap = nanos;
        }
        clean = false;
    }
}
