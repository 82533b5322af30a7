package org.r1wb.model.spec;

/**
 * The mixture-of-experts feed-forward of the MoE layers: every layer after the first {@link ModelSpec#denseLayers()},
 * or those {@link ModelSpec#layerKinds()} marks MOE.
 *
 * @param routedExperts  experts the router chooses among (E)
 * @param sharedExperts  experts every token always passes through (DeepSeekMoE's shared experts, which hold
 *                       common knowledge so the routed ones can specialise); merged into one wide SwiGLU
 * @param topK           routed experts per token (K); at most {@code routedExperts}
 * @param expertHidden   hidden width of each expert's SwiGLU; fine-grained experts are narrow
 * @param gate           how router logits become scores
 * @param balancing      how load is kept even across experts
 * @param auxLossWeight  weight of the balance loss when {@code balancing} is {@link Balancing#AUX_LOSS}
 * @param biasUpdateRate step of the selection-bias update when {@code balancing} is {@link Balancing#AUX_FREE}
 */
public record MoeSpec(
        int routedExperts,
        int sharedExperts,
        int topK,
        int expertHidden,
        GateFunction gate,
        Balancing balancing,
        double auxLossWeight,
        double biasUpdateRate) {
}
