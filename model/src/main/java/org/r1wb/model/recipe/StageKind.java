package org.r1wb.model.recipe;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of recipe stage, in R1's order, and whether this build can run each yet. */
public enum StageKind {
    /** Next-token pretraining on token shards. */
    PRETRAIN("pretrain", true),
    /** Supervised fine-tuning on prompt/response JSONL, loss on the responses. */
    SFT("sft", true),
    /** Group relative policy optimisation with rule-based rewards. */
    GRPO("grpo", true),
    /** Sampling completions, keeping those the rewards accept, writing an SFT set. */
    REJECTION_SAMPLE("rejection-sample", true),
    /** Direct preference optimisation on chosen/rejected pairs. */
    DPO("dpo", true),
    /** Training a smaller student from a teacher's traces or logits. */
    DISTILL("distill", false),
    /** Weight quantisation and export. */
    QUANTIZE("quantize", true);

    private final String id;
    private final boolean implemented;

    StageKind(String id, boolean implemented) {
        this.id = id;
        this.implemented = implemented;
    }

    /** The name a recipe file uses. */
    public String id() {
        return id;
    }

    /** Whether this build can run the stage (the others validate but do not run yet). */
    public boolean implemented() {
        return implemented;
    }

    /** Whether the stage trains weights with an optimizer (and so needs steps, batch size and sequence length). */
    public boolean trains() {
        return this != REJECTION_SAMPLE && this != QUANTIZE;
    }

    /** The kind a recipe file calls {@code id}. */
    public static Optional<StageKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
}
