package org.r1wb.views.dashboard;

/**
 * How a series is shown: optionally as log10 of the values, then smoothed by an exponential moving average
 * (debiased, as TensorBoard does, so the first points are not pulled towards zero). Smoothing after the log
 * keeps a single blow-up (a gradient norm of 1e14 on one step) from dragging the curve for many steps.
 * The data itself is never changed.
 *
 * @param smoothing the EMA weight of the past, in [0, 1): 0 shows the raw values
 * @param log10     whether values are shown as their base-10 logarithm (values ≤ 0 are left out)
 */
public record SeriesTransform(double smoothing, boolean log10) {

    /** The raw values. */
    public static final SeriesTransform NONE = new SeriesTransform(0, false);

    public SeriesTransform {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("smoothing must be in [0, 1), was " + smoothing);
        }
    }

    /** The running state of the transform over one series, fed point by point. */
    public final class Running {
        private double average;
        private double weight;

        /** The shown value of the next raw value {@code y}; {@code NaN} values pass through and do not count. */
        public double next(double y) {
            if (Double.isNaN(y)) {
                return Double.NaN;
            }
            double value = y;
            if (log10) {
                if (y <= 0) {
                    return Double.NaN;
                }
                value = Math.log10(y);
            }
            if (smoothing == 0) {
                return value;
            }
            average = smoothing * average + (1 - smoothing) * value;
            weight = smoothing * weight + (1 - smoothing);
            return average / weight;
        }
    }

    /** A fresh running state, for a series shown from its first point. */
    public Running start() {
        return new Running();
    }
}
