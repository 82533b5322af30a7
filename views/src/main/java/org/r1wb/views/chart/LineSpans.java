package org.r1wb.views.chart;

import java.util.Arrays;

/**
 * The rows one line covers in each pixel column of the plot, kept from redraw to redraw: when a series only
 * grew, only the columns from the last final point of the previous redraw on are recomputed.
 *
 * <p>A decimated line's closed part ({@link PixelDecimation#closedLength()}) never changes while its view
 * stays the same; only its open column and the points after it do. For a line whose x values increase, those
 * lie in the columns from the last closed point on, so every column left of it keeps its span.
 */
final class LineSpans {

    private final int width;
    /** Per column, the highest and lowest row the line covers (top &gt; bottom: none). */
    private final double[] top;
    private final double[] bottom;
    /** The entries of the line drawn last time that were final (the decimation's closed part). */
    private int stable;
    /** Whether the x values of the line drawn last time never decreased. */
    private boolean increasing;

    LineSpans(int width) {
        this.width = width;
        this.top = new double[width];
        this.bottom = new double[width];
        clearFrom(0);
    }

    /**
     * Brings the spans up to date with a line given in plot pixels ({@code NaN} y: a break) and returns the first
     * column that may have changed ({@code width} when none). The first {@code closed} entries passed last time
     * must be unchanged in this line.
     *
     * @param px     pixel x of each entry
     * @param py     pixel y of each entry
     * @param length the number of entries
     * @param closed how many leading entries are final: the next call relies on them
     */
    int update(double[] px, double[] py, int length, int closed) {
        int anchor = lastPointBefore(py, Math.min(stable, length));
        // while x only grows, a changed or removed segment starts at or right of the last final point
        boolean incremental = increasing && anchor >= 0 && stable <= length && increasingFrom(px, py, anchor, length);
        int dirty = incremental ? column(px[anchor]) : 0;
        increasing = incremental || increasingFrom(px, py, 0, length);
        stable = closed;
        clearFrom(dirty);
        int start = 0;
        if (dirty > 0) {
            // the first segment reaching column `dirty` starts at the last point left of it
            start = anchor;
            while (start > 0 && (Double.isNaN(py[start - 1]) || column(px[start - 1]) >= dirty)) {
                start--;
            }
            start = Math.max(0, start - 1);
        }
        for (int i = start; i < length; i++) {
            if (Double.isNaN(py[i])) {
                continue;
            }
            if (i == 0 || Double.isNaN(py[i - 1])) {
                // the start of a line: a point, joined to the next one by the next segment
                segment(px[i], py[i], px[i], py[i], dirty);
            } else if (i > start) {
                segment(px[i - 1], py[i - 1], px[i], py[i], dirty);
            }
        }
        return dirty;
    }

    /** Forgets what was drawn: the next {@link #update} recomputes every column. */
    void reset() {
        stable = 0;
    }

    double top(int column) {
        return top[column];
    }

    double bottom(int column) {
        return bottom[column];
    }

    int width() {
        return width;
    }

    /** Whether the x of the entries with a value never decreases from {@code from} to {@code to}. */
    private static boolean increasingFrom(double[] px, double[] py, int from, int to) {
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(py[i])) {
                if (px[i] < previous) {
                    return false;
                }
                previous = px[i];
            }
        }
        return true;
    }

    /** The index of the last entry with a value before {@code end}, or -1. */
    private static int lastPointBefore(double[] py, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (!Double.isNaN(py[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The pixel column of {@code x}, clamped to {@code [0, width]}. */
    private int column(double x) {
        return (int) Math.max(0, Math.min(width, Math.floor(x)));
    }

    private void clearFrom(int column) {
        Arrays.fill(top, column, width, Double.POSITIVE_INFINITY);
        Arrays.fill(bottom, column, width, Double.NEGATIVE_INFINITY);
    }

    /** Covers, in each column from {@code from} on that the segment crosses, the rows it spans there. */
    private void segment(double x0, double y0, double x1, double y1, int from) {
        if (x1 < x0) {
            segment(x1, y1, x0, y0, from);
            return;
        }
        int first = Math.max(from, (int) Math.floor(x0));
        int last = Math.min(width - 1, (int) Math.floor(x1));
        double slope = x1 > x0 ? (y1 - y0) / (x1 - x0) : 0;
        for (int c = first; c <= last; c++) {
            double ya = x1 > x0 ? y0 + (Math.max(x0, c) - x0) * slope : y0;
            double yb = x1 > x0 ? y0 + (Math.min(x1, c + 1) - x0) * slope : y1;
            top[c] = Math.min(top[c], Math.min(ya, yb));
            bottom[c] = Math.max(bottom[c], Math.max(ya, yb));
        }
    }
}
