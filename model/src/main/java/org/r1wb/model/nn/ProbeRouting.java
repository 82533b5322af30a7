package org.r1wb.model.nn;

/**
 * One MoE layer's router decision for the T tokens of a probe (E routed experts, K chosen per token).
 *
 * @param scores  T × E: each token's score distribution over the experts (softmax, or sigmoids normalised
 *                over the experts); sums to 1 per token
 * @param chosen  T × K: the experts each token was sent to, best first: ranked by the gate's raw value (the
 *                softmax score, or the un-normalised sigmoid) plus the selection bias
 * @param weights T × K: the gate weight of each chosen expert, the factor its output is scaled by
 */
public record ProbeRouting(float[][] scores, int[][] chosen, float[][] weights) {

    /** Probe tokens (T). */
    public int tokens() {
        return scores.length;
    }

    /** Routed experts (E). */
    public int experts() {
        return scores.length == 0 ? 0 : scores[0].length;
    }
}
