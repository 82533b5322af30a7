package org.r1wb.views.dashboard;

/**
 * How a series is shown: smoothed by an exponential moving average (debiased, as TensorBoard does, so the
 * first points are not pulled towards zero) and optionally on a log10 scale. The data itself is never changed.
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
            double shown = y;
            if (smoothing > 0) {
                average = smoothing * average + (1 - smoothing) * y;
                weight = smoothing * weight + (1 - smoothing);
                shown = average / weight;
            }
            if (log10) {
                return shown > 0 ? Math.log10(shown) : Double.NaN;
            }
            return shown;
        }
    }

    /** A fresh running state, for a series shown from its first point. */
    public Running start() {
        return new Running();
    }
}
