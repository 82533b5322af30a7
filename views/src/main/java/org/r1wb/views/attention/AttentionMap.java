package org.r1wb.views.attention;

import java.util.List;
import java.util.Objects;

/**
 * One {@code attention} event: the attention weights of one head of one layer for the probe text.
 *
 * @param step    the step (checkpoint) the probe ran at
 * @param layer   the layer index
 * @param head    the head index within the layer
 * @param tokens  the probe text's tokens as text, T of them
 * @param weights T × T: {@code weights[q][k]} is how much query token q attends to key token k (rows sum to 1)
 */
public record AttentionMap(long step, int layer, int head, List<String> tokens, double[][] weights) {

    public AttentionMap {
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(weights, "weights");
        if (weights.length != tokens.size()) {
            throw new IllegalArgumentException("weights has " + weights.length + " rows but there are "
                    + tokens.size() + " tokens");
        }
    }

    /** The weight of query {@code q} on key {@code k}; 0 past the end of a short (causal) row. */
    public double weight(int q, int k) {
        double[] row = weights[q];
        return k < row.length ? row[k] : 0;
    }
}
