package org.r1wb.views.chart;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PixelDecimationTest {

    @Test
    void everyColumnKeepsItsExtremesInIndexOrder() {
        int n = 20_000;
        double[] x = new double[n];
        double[] y = new double[n];
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = random.nextGaussian();
        }
        int columns = 100;
        AxisRange visible = new AxisRange(0, n - 1);
        DecimatedLine line = PixelDecimation.decimate(x, y, n, visible, columns);

        assertThat(line.pointCount()).isLessThanOrEqualTo(4 * columns);
        double[] lows = new double[columns];
        double[] highs = new double[columns];
        java.util.Arrays.fill(lows, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(highs, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int c = Math.min(columns - 1, (int) (x[i] / visible.span() * columns));
            lows[c] = Math.min(lows[c], y[i]);
            highs[c] = Math.max(highs[c], y[i]);
        }
        double[] dx = line.pointXs();
        double[] dy = line.pointYs();
        for (int c = 0; c < columns; c++) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < dx.length; i++) {
                if (Math.min(columns - 1, (int) (dx[i] / visible.span() * columns)) == c) {
                    low = Math.min(low, dy[i]);
                    high = Math.max(high, dy[i]);
                }
            }
            assertThat(low).as("column %d low", c).isEqualTo(lows[c]);
            assertThat(high).as("column %d high", c).isEqualTo(highs[c]);
        }
        for (int i = 1; i < dx.length; i++) {
            assertThat(dx[i]).isGreaterThan(dx[i - 1]);
        }
        // each drawn point is a real point of the series
        for (int i = 0; i < dx.length; i++) {
            assertThat(y[(int) dx[i]]).isEqualTo(dy[i]);
        }
    }

    @Test
    void fewPointsAreDrawnAsTheyAre() {
        double[] x = {1, 2, 3, 4};
        double[] y = {4, 3, 2, 1};
        DecimatedLine line = PixelDecimation.decimate(x, y, 4, new AxisRange(1, 4), 500);
        assertThat(line.pointXs()).containsExactly(x);
        assertThat(line.pointYs()).containsExactly(y);
    }

    @Test
    void nanBreaksTheLineAndPointsOutsideTheViewStayAsNeighbours() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] y = {1, 2, 3, Double.NaN, 5, 6, 7, 8, 9, 10};
        DecimatedLine line = PixelDecimation.decimate(x, y, x.length, new AxisRange(4.5, 6.5), 10);
        assertThat(line.length()).isGreaterThan(line.pointCount());
        assertThat(line.pointXs()).as("the neighbours 4 and 7 outside keep the line's slope at the edges")
                .contains(4.0, 5.0, 6.0, 7.0).doesNotContain(3.0);
        assertThat(line.pointXs()).hasSizeLessThanOrEqualTo(9);
    }
}
