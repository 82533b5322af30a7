package org.r1wb.model.recipe;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of recipe stage, in R1's order. */
public enum StageKind {
    /** Next-token pretraining on token shards. */
    PRETRAIN("pretrain"),
    /** Supervised fine-tuning on prompt/response JSONL, loss on the responses. */
    SFT("sft"),
    /** Group relative policy optimisation with rule-based rewards. */
    GRPO("grpo"),
    /** Sampling completions, keeping those the rewards accept, writing an SFT set. */
    REJECTION_SAMPLE("rejection-sample"),
    /** Direct preference optimisation on chosen/rejected pairs. */
    DPO("dpo"),
    /** Training a smaller student from a teacher's traces or logits. */
    DISTILL("distill"),
    /** Weight quantisation and export. */
    QUANTIZE("quantize");

    private final String id;

    StageKind(String id) {
        this.id = id;
    }

    /** The name a recipe file uses. */
    public String id() {
        return id;
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
