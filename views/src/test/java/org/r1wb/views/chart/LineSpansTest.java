package org.r1wb.views.chart;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LineSpansTest {

    private static final int WIDTH = 300;

    @Test
    void growingLineKeepsTheSpansAFreshComputationGives() {
        Random random = new Random(5);
        int n = 20_000;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i;
            ys[i] = i % 4_999 == 0 ? Double.NaN : 100 + 40 * Math.sin(i / 900.0) + 10 * random.nextGaussian();
        }
        AxisRange view = new AxisRange(0, n);
        PixelDecimation decimation = new PixelDecimation(view, WIDTH, false);
        LineSpans grown = new LineSpans(WIDTH);
        int fed = 0;
        int lastDirty = -1;
        while (fed < n) {
            // random batches, the last one a single point
            fed = fed == n - 1 ? n : Math.min(n - 1, fed + 1 + random.nextInt(700));
            decimation.feed(xs, ys, fed);
            DecimatedLine line = decimation.line();
            int dirty = grown.update(pixelsX(line, view), line.ys(), line.length(), decimation.closedLength());
            LineSpans fresh = new LineSpans(WIDTH);
            assertThat(fresh.update(pixelsX(line, view), line.ys(), line.length(), 0)).isZero();
            assertSame(grown, fresh);
            // only the columns from the newest points on were recomputed
            assertThat(dirty).isLessThanOrEqualTo((int) (xs[fed - 1] / n * WIDTH));
            lastDirty = dirty;
        }
        assertThat(lastDirty).as("the last small append recomputed only the right end").isGreaterThanOrEqualTo(WIDTH - 2);
    }

    @Test
    void lineTurningBackIsRecomputedWhole() {
        LineSpans spans = new LineSpans(WIDTH);
        double[] px = {10, 100, 200, 250};
        double[] py = {5, 50, 20, 30};
        spans.update(px, py, 3, 2);
        // resumed from an earlier step: the new point lies left of the last final one
        assertThat(spans.update(px = new double[] {10, 100, 200, 150}, py, 4, 3)).isZero();
        LineSpans fresh = new LineSpans(WIDTH);
        fresh.update(px, py, 4, 0);
        assertSame(spans, fresh);
        assertThat(spans.bottom(160)).isGreaterThan(spans.top(160));
    }

    private static double[] pixelsX(DecimatedLine line, AxisRange view) {
        double[] px = new double[line.length()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (line.xs()[i] - view.min()) / view.span() * WIDTH;
        }
        return px;
    }

    private static void assertSame(LineSpans actual, LineSpans expected) {
        for (int c = 0; c < WIDTH; c++) {
            assertThat(actual.top(c)).as("top of column %d", c).isEqualTo(expected.top(c));
            assertThat(actual.bottom(c)).as("bottom of column %d", c).isEqualTo(expected.bottom(c));
        }
    }
}
