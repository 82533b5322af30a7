package org.r1wb.views.chart;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimationTest {

    @Test
    void shortSeriesIsDrawnWhole() {
        double[] ys = {3, 2, 1, 0.5};
        assertThat(Decimation.indices(ys, 4, 10)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void onlyTheValidPrefixIsUsed() {
        double[] ys = {3, 2, 1, 0.5, 99, 99};
        assertThat(Decimation.indices(ys, 3, 10)).containsExactly(0, 1, 2);
    }

    @Test
    void longSeriesStaysWithinBudgetAndKeepsEndsAndSpikes() {
        int size = 100_000;
        double[] ys = new double[size];
        for (int i = 0; i < size; i++) {
            ys[i] = 10.0 / (1 + i * 0.001) + 0.01 * Math.sin(i);
        }
        ys[61_234] = 50;   // a single-step loss spike
        ys[77_777] = -5;   // and a dip

        int[] picked = Decimation.indices(ys, size, 2000);

        assertThat(picked.length).isLessThanOrEqualTo(2000).isGreaterThan(1500);
        assertThat(picked[0]).isZero();
        assertThat(picked[picked.length - 1]).isEqualTo(size - 1);
        assertThat(picked).contains(61_234, 77_777);
        assertThat(picked).isSorted();
        assertThat(Arrays.stream(picked).distinct().count()).isEqualTo(picked.length);
    }

    @Test
    void nanValuesAreSkipped() {
        double[] ys = {1, Double.NaN, 2, Double.NaN};
        assertThat(Decimation.indices(ys, 4, 10)).containsExactly(0, 2);

        double[] longYs = new double[1000];
        Arrays.fill(longYs, Double.NaN);
        longYs[500] = 1;
        assertThat(Decimation.indices(longYs, 1000, 10)).containsExactly(500);
    }

    @Test
    void budgetBelowFourIsRejected() {
        assertThatThrownBy(() -> Decimation.indices(new double[10], 10, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 4");
    }
}
