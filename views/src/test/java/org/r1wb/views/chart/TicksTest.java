package org.r1wb.views.chart;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TicksTest {

    @Test
    void niceStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertThat(Ticks.niceStep(250)).isEqualTo(250.0);
        assertThat(Ticks.niceStep(251)).isEqualTo(500.0);
        assertThat(Ticks.niceStep(0.13)).isEqualTo(0.2, Offset.offset(1e-12));
        assertThat(Ticks.niceStep(7)).isEqualTo(10.0);
    }

    @Test
    void linearTicksAreTheRoundMultiplesInRange() {
        assertThat(Ticks.linear(new AxisRange(0, 2000), 8))
                .containsExactly(0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000);
        assertThat(Ticks.linear(new AxisRange(-0.13, 0.41), 6)).containsExactly(new double[] {-0.1, 0, 0.1, 0.2, 0.3, 0.4},
                Offset.offset(1e-12));
        assertThat(Ticks.format(0.1 * 3, 0.1)).isEqualTo("0.3");
        assertThat(Ticks.format(1250, 250)).isEqualTo("1250");
        assertThat(Ticks.format(0.25, 0.25)).isEqualTo("0.25");
        assertThat(Ticks.format(0.0005, 0.0005)).isEqualTo("0.0005");
        assertThat(Ticks.format(1.95, 1.75 - 1.70)).as("a step off by rounding").isEqualTo("1.95");
    }

    @Test
    void logTicksAreDecades() {
        assertThat(Ticks.log(new AxisRange(-2.3, 1.7), 10)).containsExactly(-2, -1, 0, 1);
        assertThat(Ticks.log(new AxisRange(-12.5, 14.2), 5)).hasSizeLessThanOrEqualTo(6).contains(-12.0);
        assertThat(Ticks.formatLog(2)).isEqualTo("100");
        assertThat(Ticks.formatLog(-2)).isEqualTo("0.01");
        assertThat(Ticks.formatLog(14)).isEqualTo("1e14");
    }
}
