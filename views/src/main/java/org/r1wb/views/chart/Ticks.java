package org.r1wb.views.chart;

import java.util.Locale;

/** Round tick positions and their labels for a chart axis. */
public final class Ticks {

    private Ticks() {
    }

    /** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code raw}. */
    public static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double step : new double[] {1, 2, 2.5, 5}) {
            if (step * magnitude >= raw) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** The multiples of a round step inside {@code range}, about {@code count} of them (at least 1 asked). */
    public static double[] linear(AxisRange range, int count) {
        double step = niceStep(range.span() / Math.max(1, count));
        long first = (long) Math.ceil(range.min() / step - 1e-9);
        long last = (long) Math.floor(range.max() / step + 1e-9);
        int n = (int) Math.max(0, last - first + 1);
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            // multiply rather than accumulate: no drift in the labels
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }

    /**
     * Ticks of a log10 axis, in log10 units: whole decades, or every n-th decade when there are more than
     * {@code count}; within less than two decades the linear ticks of the exponent.
     */
    public static double[] log(AxisRange range, int count) {
        long first = (long) Math.ceil(range.min() - 1e-9);
        long last = (long) Math.floor(range.max() + 1e-9);
        if (last - first < 1) {
            return linear(range, count);
        }
        long every = Math.max(1, (long) Math.ceil((last - first + 1) / (double) Math.max(1, count)));
        int n = (int) ((last - first) / every + 1);
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            ticks[i] = first + i * every;
        }
        return ticks;
    }

    /** A short label for {@code value} on an axis whose ticks are {@code step} apart. */
    public static String format(double value, double step) {
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6 || step < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", value).replaceFirst("\\.?0+e", "e");
        }
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
        double fraction = step * Math.pow(10, decimals) % 1;
        if (fraction > 1e-6 && fraction < 1 - 1e-6) {
            // steps of 2.5 need one more decimal than their magnitude
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** The label of a log10 axis tick at exponent {@code exponent}: the value itself. */
    public static String formatLog(double exponent) {
        double value = Math.pow(10, exponent);
        if (Math.abs(exponent - Math.rint(exponent)) < 1e-9 && (exponent > 4 || exponent < -3)) {
            return "1e" + (long) Math.rint(exponent);
        }
        return format(value, Math.abs(value));
    }
}
