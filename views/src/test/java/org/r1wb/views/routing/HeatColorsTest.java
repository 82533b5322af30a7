package org.r1wb.views.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeatColorsTest {

    @Test
    void endsAreViridisAndClamped() {
        assertThat(HeatColors.argb(0)).isEqualTo(0xff440154);
        assertThat(HeatColors.argb(1)).isEqualTo(0xfffde725);
        assertThat(HeatColors.argb(-3)).isEqualTo(HeatColors.argb(0));
        assertThat(HeatColors.argb(7)).isEqualTo(HeatColors.argb(1));
        assertThat(HeatColors.argb(Double.NaN)).isEqualTo(HeatColors.argb(0));
    }

    @Test
    void luminanceRisesMonotonically() {
        double previous = -1;
        for (int i = 0; i <= 100; i++) {
            int c = HeatColors.argb(i / 100.0);
            double luminance = 0.2126 * (c >> 16 & 0xff) + 0.7152 * (c >> 8 & 0xff) + 0.0722 * (c & 0xff);
            assertThat(luminance).isGreaterThanOrEqualTo(previous - 0.5);
            previous = luminance;
        }
    }

    @Test
    void labelStrideIsRoundAndKeepsLabelsApart() {
        assertThat(HeatmapPainter.labelStride(20, 13)).isEqualTo(1);
        assertThat(HeatmapPainter.labelStride(5, 13)).isEqualTo(5);
        assertThat(HeatmapPainter.labelStride(0.1, 13)).isEqualTo(200);
    }
}
