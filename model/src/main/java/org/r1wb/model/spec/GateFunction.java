package org.r1wb.model.spec;

/** How a router turns its logits into expert scores. */
public enum GateFunction {
    /** Softmax over all routed experts (DeepSeek-V2); the selected probabilities weight the experts as they are. */
    SOFTMAX,
    /** Independent sigmoid per expert (DeepSeek-V3); the selected scores are renormalised to sum to one. */
    SIGMOID
}
