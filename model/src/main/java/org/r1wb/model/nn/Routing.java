package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * One router decision for N tokens.
 *
 * @param weights (N, K) gate weight of each chosen expert, differentiable
 * @param experts (N·K) chosen expert of token {@code n}'s slot {@code k} at {@code n·K + k}, on the host
 * @param scores  (N, E) each token's score distribution over experts (sums to one per token), differentiable
 */
public record Routing(NDArray weights, long[] experts, NDArray scores) {
}
