package org.r1wb.views.routing;

import java.util.List;
import java.util.Objects;

/**
 * One {@code routing_tokens} event: the gate weights of every token of the probe text over the experts
 * of one layer, at one step.
 *
 * @param step    the training step (the checkpoint) the probe ran at
 * @param layer   the layer index
 * @param tokens  the probe text's tokens as text, T of them
 * @param weights T × E gate weights: {@code weights[t][e]} is token t's weight for expert e
 */
public record TokenRouting(long step, int layer, List<String> tokens, double[][] weights) {

    public TokenRouting {
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(weights, "weights");
        if (weights.length != tokens.size()) {
            throw new IllegalArgumentException("weights has " + weights.length + " rows but there are "
                    + tokens.size() + " tokens");
        }
    }

    /** The number of experts (E), the longest row. */
    public int experts() {
        int experts = 0;
        for (double[] row : weights) {
            experts = Math.max(experts, row.length);
        }
        return experts;
    }

    /** Token {@code t}'s weight for expert {@code e}; 0 past the end of a short row. */
    public double weight(int t, int e) {
        double[] row = weights[t];
        return e < row.length ? row[e] : 0;
    }

    /** The {@code k} experts with the largest weights for token {@code t}, largest first. */
    public int[] topExperts(int t, int k) {
        int experts = experts();
        int[] top = new int[Math.min(k, experts)];
        boolean[] taken = new boolean[experts];
        for (int slot = 0; slot < top.length; slot++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                if (!taken[e] && (best < 0 || weight(t, e) > weight(t, best))) {
                    best = e;
                }
            }
            taken[best] = true;
            top[slot] = best;
        }
        return top;
    }
}
