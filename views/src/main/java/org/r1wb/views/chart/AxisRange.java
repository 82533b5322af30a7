package org.r1wb.views.chart;

/**
 * A closed interval of axis values, {@code min < max}. On a log-scale axis the bounds are log10 of the values.
 *
 * @param min the lower bound
 * @param max the upper bound
 */
public record AxisRange(double min, double max) {

    public AxisRange {
        if (!(min < max) || Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("axis range needs finite min < max, was [" + min + ", " + max + "]");
        }
    }

    /** The width of the interval. */
    public double span() {
        return max - min;
    }

    /** The range scaled by {@code factor} about {@code anchor} (factor &lt; 1 zooms in). */
    public AxisRange zoom(double anchor, double factor) {
        return new AxisRange(anchor - (anchor - min) * factor, anchor + (max - anchor) * factor);
    }

    /** The range moved by {@code delta}. */
    public AxisRange shift(double delta) {
        return new AxisRange(min + delta, max + delta);
    }

    /** Whether {@code value} lies in the interval. */
    public boolean contains(double value) {
        return value >= min && value <= max;
    }
}
