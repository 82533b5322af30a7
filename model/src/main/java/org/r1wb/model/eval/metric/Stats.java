package org.r1wb.model.eval.metric;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Aggregates and their standard errors, as lm-evaluation-harness reports them. */
public final class Stats {

    /** Bootstrap resamples; 1000 puts the standard error's own error near 2 %. */
    public static final int BOOTSTRAP_ITERATIONS = 1000;

    private Stats() {
    }

    /** The mean and its standard error, sample standard deviation (n − 1) over √n. */
    public static MetricValue mean(String name, double[] values) {
        int n = values.length;
        if (n == 0) {
            return new MetricValue(name, Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new MetricValue(name, mean, 0);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new MetricValue(name, mean, Math.sqrt(squares / (n - 1)) / Math.sqrt(n));
    }

    /**
     * The ratio Σa / Σb and its standard error by the delta method (a ratio estimator), for quantities
     * such as nats per token where documents differ in length.
     */
    public static double[] ratio(double[] a, double[] b) {
        int n = a.length;
        double sumA = 0;
        double sumB = 0;
        for (int i = 0; i < n; i++) {
            sumA += a[i];
            sumB += b[i];
        }
        double r = sumA / sumB;
        if (n < 2) {
            return new double[] {r, 0};
        }
        double meanB = sumB / n;
        double residuals = 0;
        for (int i = 0; i < n; i++) {
            double e = a[i] - r * b[i];
            residuals += e * e;
        }
        return new double[] {r, Math.sqrt(residuals / (n - 1) / n) / meanB};
    }

    /**
     * The standard deviation of a corpus statistic over {@link #BOOTSTRAP_ITERATIONS} resamples of the
     * documents (with replacement, fixed seed so a rerun reports the same figure).
     */
    public static double bootstrapStderr(int n, ToDoubleFunction<int[]> statistic) {
        if (n < 2) {
            return 0;
        }
        Random random = new Random(1234);
        double sum = 0;
        double squares = 0;
        int[] pick = new int[n];
        for (int b = 0; b < BOOTSTRAP_ITERATIONS; b++) {
            for (int i = 0; i < n; i++) {
                pick[i] = random.nextInt(n);
            }
            double value = statistic.applyAsDouble(pick);
            sum += value;
            squares += value * value;
        }
        double mean = sum / BOOTSTRAP_ITERATIONS;
        return Math.sqrt(Math.max(0, squares / BOOTSTRAP_ITERATIONS - mean * mean) * BOOTSTRAP_ITERATIONS
                / (BOOTSTRAP_ITERATIONS - 1));
    }
}
