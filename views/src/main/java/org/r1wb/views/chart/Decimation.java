package org.r1wb.views.chart;

import java.util.Arrays;

/**
 * Chooses which points of a long series to draw: min-max decimation.
 *
 * <p>The series is cut into equal index buckets and each bucket contributes its lowest and its highest
 * point, in index order. Unlike taking every n-th point this keeps spikes (a loss blow-up on a single
 * step stays visible) and the curve's envelope, at a fixed cost of {@code maxPoints} drawn points.
 * The first and the last point are always kept. {@code NaN} values are skipped.
 */
public final class Decimation {

    private Decimation() {
    }

    /**
     * The indices of the points to draw, ascending, at most {@code maxPoints} of them.
     *
     * @param ys        the values; only the first {@code size} are used
     * @param size      how many values are valid
     * @param maxPoints the drawing budget, at least 4
     */
    public static int[] indices(double[] ys, int size, int maxPoints) {
        if (maxPoints < 4) {
            throw new IllegalArgumentException("maxPoints must be at least 4, was " + maxPoints);
        }
        int[] out = new int[Math.min(size, maxPoints)];
        int count = 0;
        if (size <= maxPoints) {
            for (int i = 0; i < size; i++) {
                if (!Double.isNaN(ys[i])) {
                    out[count++] = i;
                }
            }
            return Arrays.copyOf(out, count);
        }
        // two slots for the first and last point, two per bucket for the rest
        int buckets = (maxPoints - 2) / 2;
        int last = -1;
        if (!Double.isNaN(ys[0])) {
            out[count++] = 0;
            last = 0;
        }
        int inner = size - 2;
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) inner * b / buckets);
            int to = 1 + (int) ((long) inner * (b + 1) / buckets);
            int min = -1;
            int max = -1;
            for (int i = from; i < to; i++) {
                double y = ys[i];
                if (Double.isNaN(y)) {
                    continue;
                }
                if (min < 0 || y < ys[min]) {
                    min = i;
                }
                if (max < 0 || y > ys[max]) {
                    max = i;
                }
            }
            if (min < 0) {
                continue;
            }
            int first = Math.min(min, max);
            int second = Math.max(min, max);
            if (first > last) {
                out[count++] = first;
                last = first;
            }
            if (second > last) {
                out[count++] = second;
                last = second;
            }
        }
        if (!Double.isNaN(ys[size - 1]) && size - 1 > last) {
            out[count++] = size - 1;
        }
        return Arrays.copyOf(out, count);
    }
}
