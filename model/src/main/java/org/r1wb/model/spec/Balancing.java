package org.r1wb.model.spec;

/** How the experts' load is kept even. */
public enum Balancing {
    /** A differentiable auxiliary loss, {@code auxLossWeight · E · Σ f_i · P_i}, added to the training loss. */
    AUX_LOSS,
    /** DeepSeek-V3's auxiliary-loss-free balancing: a per-expert bias, used only to select experts, nudged after each step. */
    AUX_FREE,
    /** No balancing at all (for ablations). */
    NONE
}
