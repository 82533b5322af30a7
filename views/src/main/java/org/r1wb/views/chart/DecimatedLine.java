package org.r1wb.views.chart;

import java.util.Arrays;

/**
 * The points a chart draws for one series, in drawing order; an entry with a {@code NaN} y breaks the line.
 *
 * @param xs     x values, valid up to {@code length}
 * @param ys     y values in display units (log10 on a log scale, smoothed when smoothing is on)
 * @param length the number of valid entries
 */
public record DecimatedLine(double[] xs, double[] ys, int length) {

    /** The number of points drawn (line breaks not counted). */
    public int pointCount() {
        int n = 0;
        for (int i = 0; i < length; i++) {
            n += Double.isNaN(ys[i]) ? 0 : 1;
        }
        return n;
    }

    /** The y values of the drawn points, in order, without the line breaks. */
    public double[] pointYs() {
        return Arrays.stream(ys, 0, length).filter(y -> !Double.isNaN(y)).toArray();
    }

    /** The x values of the drawn points, in order, without the line breaks. */
    public double[] pointXs() {
        double[] out = new double[pointCount()];
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (!Double.isNaN(ys[i])) {
                out[n++] = xs[i];
            }
        }
        return out;
    }
}
