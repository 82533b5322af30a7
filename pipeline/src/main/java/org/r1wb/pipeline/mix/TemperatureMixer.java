package org.r1wb.pipeline.mix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Temperature-sampled domain mixing: source {@code i} with {@code n_i} documents gets weight
 * {@code n_i^(1/T) / Σ_j n_j^(1/T)}. T = 1 keeps the natural proportions, larger T flattens them towards uniform (small
 * domains upsampled, large ones downsampled). Quotas are whole numbers by the largest-remainder method, so a mix of
 * {@code total} documents realises the weights to within one document per source; a source whose quota exceeds its
 * size is repeated, each pass in a fresh shuffled order.
 */
public final class TemperatureMixer {

    private final double temperature;

    public TemperatureMixer(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, was " + temperature);
        }
        this.temperature = temperature;
    }

    /** The weight of each source, summing to 1 (sources of size 0 get 0). */
    public double[] weights(long[] sizes) {
        double[] w = new double[sizes.length];
        double sum = 0;
        for (int i = 0; i < sizes.length; i++) {
            w[i] = sizes[i] == 0 ? 0 : Math.pow(sizes[i], 1 / temperature);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = sum == 0 ? 0 : w[i] / sum;
        }
        return w;
    }

    /** Whole-number quotas summing to {@code total}, as close to {@code total · weight} as possible. */
    public long[] quotas(double[] weights, long total) {
        long[] q = new long[weights.length];
        double[] remainder = new double[weights.length];
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = weights[i] * total;
            q[i] = (long) Math.floor(exact);
            remainder[i] = exact - q[i];
            assigned += q[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                order.add(i);
            }
        }
        order.sort((x, y) -> Double.compare(remainder[y], remainder[x]));
        for (int k = 0; assigned < total && !order.isEmpty(); k = (k + 1) % order.size()) {
            q[order.get(k)]++;
            assigned++;
        }
        return q;
    }

    /**
     * Mixes {@code sources} into {@code total} items in a seeded random order.
     *
     * @return the mixed items; source {@code i} contributes exactly {@code quotas(weights(sizes), total)[i]}
     */
    public <T> List<T> mix(List<List<T>> sources, long total, long seed) {
        long[] sizes = sources.stream().mapToLong(List::size).toArray();
        long[] quotas = quotas(weights(sizes), total);
        Random random = new Random(seed);
        List<T> mixed = new ArrayList<>((int) total);
        for (int i = 0; i < sources.size(); i++) {
            List<T> pass = new ArrayList<>(sources.get(i));
            for (long taken = 0; taken < quotas[i]; ) {
                Collections.shuffle(pass, random);
                int take = (int) Math.min(pass.size(), quotas[i] - taken);
                mixed.addAll(pass.subList(0, take));
                taken += take;
            }
        }
        Collections.shuffle(mixed, random);
        return mixed;
    }
}
