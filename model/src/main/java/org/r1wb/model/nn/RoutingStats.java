package org.r1wb.model.nn;

/**
 * What one MoE layer's router did in the last forward pass.
 *
 * @param tokensPerExpert routed (token, slot) pairs each expert received; sums to N·K
 * @param entropy         mean over tokens of the entropy (nats) of the token's score distribution
 * @param balanceLoss     {@code E · Σ f_i · P_i} (1 when perfectly balanced), the value the aux loss scales
 */
public record RoutingStats(long[] tokensPerExpert, double entropy, double balanceLoss) {

    /** Each expert's share of the routed slots. */
    public double[] loadFractions() {
        long total = 0;
        for (long count : tokensPerExpert) {
            total += count;
        }
        double[] load = new double[tokensPerExpert.length];
        for (int e = 0; e < load.length; e++) {
            load[e] = total == 0 ? 0 : (double) tokensPerExpert[e] / total;
        }
        return load;
    }

    /** Coefficient of variation of the per-expert load: 0 when even, larger when skewed. */
    public double loadCv() {
        double[] load = loadFractions();
        double mean = 0;
        for (double l : load) {
            mean += l;
        }
        mean /= load.length;
        double variance = 0;
        for (double l : load) {
            variance += (l - mean) * (l - mean);
        }
        variance /= load.length;
        return mean == 0 ? 0 : Math.sqrt(variance) / mean;
    }
}
