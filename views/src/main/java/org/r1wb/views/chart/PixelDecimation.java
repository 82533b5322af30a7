package org.r1wb.views.chart;

import java.util.Arrays;

/**
 * Reduces a long series to what one pixel column can show: for each column the first, lowest, highest
 * and last point that fall in it, in index order (M4 decimation).
 *
 * <p>The drawn line then has the same envelope pixel for pixel as the full series, spikes included, at
 * a cost of at most four points per column however many points the series holds. Points left or right
 * of the visible range are gathered into one column on each side, so the line still enters and leaves
 * the plot at the right slope. A {@code NaN} value breaks the line.
 *
 * <p>An instance can be fed more points later: a growing series costs only its new points to redraw,
 * as long as the visible range and the column count stay the same.
 */
public final class PixelDecimation {

    private final AxisRange visible;
    private final int columns;
    private final double scale;
    private final boolean log;
    private double[] xs;
    private double[] ys;
    private int length;
    private int consumed;
    private int nonPositive;
    /** The column still open (more points may fall in it), or {@code Integer.MIN_VALUE} when none. */
    private int column = Integer.MIN_VALUE;
    private int first = -1;
    private int low;
    private int high;
    private int last;
    private double firstX;
    private double firstY;
    private double lowX;
    private double lowY;
    private double highX;
    private double highY;
    private double lastX;
    private double lastY;

    /**
     * A decimation into {@code columns} columns across {@code visible}, of log10 of the values when
     * {@code log} (values &lt;= 0 then break the line and are counted, see {@link #nonPositive()}).
     */
    public PixelDecimation(AxisRange visible, int columns, boolean log) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, was " + columns);
        }
        this.visible = visible;
        this.columns = columns;
        this.scale = columns / visible.span();
        this.log = log;
        this.xs = new double[4 * (Math.min(columns, 4096) + 2)];
        this.ys = new double[xs.length];
    }

    /**
     * The points to draw of a whole series.
     *
     * @param xs      x values, the first {@code size} used
     * @param ys      y values (already in display units), {@code NaN} for a gap
     * @param size    the number of points
     * @param visible the visible x range
     * @param columns the number of pixel columns across {@code visible}, at least 1
     */
    public static DecimatedLine decimate(double[] xs, double[] ys, int size, AxisRange visible, int columns) {
        PixelDecimation decimation = new PixelDecimation(visible, columns, false);
        decimation.feed(xs, ys, size);
        return decimation.line();
    }

    /** Whether this decimation draws {@code visible} in {@code columns} columns on the same scale. */
    public boolean matches(AxisRange visible, int columns, boolean log) {
        return this.visible.equals(visible) && this.columns == columns && this.log == log;
    }

    /** How many points were fed. */
    public int consumed() {
        return consumed;
    }

    /**
     * How many leading entries of {@link #line()} are final: feeding more points only adds entries after them
     * (the open column's are rewritten).
     */
    public int closedLength() {
        return length;
    }

    /** How many values fed had no logarithm (&lt;= 0) on a log scale. */
    public int nonPositive() {
        return nonPositive;
    }

    /** Takes the points from {@link #consumed()} up to {@code size} (the earlier ones must be unchanged). */
    public void feed(double[] x, double[] y, int size) {
        for (int i = consumed; i < size; i++) {
            double value = y[i];
            if (log) {
                if (value <= 0) {
                    nonPositive++;
                    value = Double.NaN;
                } else {
                    value = Math.log10(value);
                }
            }
            if (Double.isNaN(value) || Double.isNaN(x[i])) {
                close();
                breakLine();
                continue;
            }
            int c = columnOf(x[i]);
            if (c != column) {
                close();
                column = c;
                first = i;
                low = i;
                high = i;
                lowY = value;
                highY = value;
                pushOpen(x[i], value);
            } else if (value < lowY) {
                low = i;
                lowY = value;
            } else if (value > highY) {
                high = i;
                highY = value;
            }
            last = i;
            lastX = x[i];
            lastY = value;
            if (low == i) {
                lowX = x[i];
            }
            if (high == i) {
                highX = x[i];
            }
        }
        consumed = Math.max(consumed, size);
    }

    private void pushOpen(double x, double y) {
        firstX = x;
        firstY = y;
        lowX = x;
        highX = x;
    }

    /** The line so far, the open column included. */
    public DecimatedLine line() {
        int open = column == Integer.MIN_VALUE ? 0 : 4;
        double[] outX = Arrays.copyOf(xs, length + open);
        double[] outY = Arrays.copyOf(ys, length + open);
        int n = length;
        if (open > 0) {
            n = appendGroup(outX, outY, n);
        }
        return new DecimatedLine(outX, outY, n);
    }

    private int columnOf(double x) {
        double position = (x - visible.min()) * scale;
        if (position < 0) {
            return -1;
        }
        // the right edge itself belongs to the last column
        return position > columns ? columns : Math.min((int) position, columns - 1);
    }

    /** Writes the open column's points, in index order, into the arrays from {@code at}; returns the new length. */
    private int appendGroup(double[] outX, double[] outY, int at) {
        int a = Math.min(low, high);
        int b = Math.max(low, high);
        double ax = a == low ? lowX : highX;
        double ay = a == low ? lowY : highY;
        double bx = b == low ? lowX : highX;
        double by = b == low ? lowY : highY;
        int n = at;
        outX[n] = firstX;
        outY[n++] = firstY;
        if (a != first) {
            outX[n] = ax;
            outY[n++] = ay;
        }
        if (b != a && b != first) {
            outX[n] = bx;
            outY[n++] = by;
        }
        if (last != b && last != a && last != first) {
            outX[n] = lastX;
            outY[n++] = lastY;
        }
        return n;
    }

    private void close() {
        if (column == Integer.MIN_VALUE) {
            return;
        }
        grow(4);
        length = appendGroup(xs, ys, length);
        column = Integer.MIN_VALUE;
    }

    private void breakLine() {
        if (length > 0 && !Double.isNaN(ys[length - 1])) {
            grow(1);
            xs[length] = Double.NaN;
            ys[length] = Double.NaN;
            length++;
        }
    }

    private void grow(int more) {
        if (length + more > xs.length) {
            xs = Arrays.copyOf(xs, Math.max(length + more, xs.length * 2));
            ys = Arrays.copyOf(ys, xs.length);
        }
    }
}
