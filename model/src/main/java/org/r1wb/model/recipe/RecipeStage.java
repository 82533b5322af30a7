package org.r1wb.model.recipe;

import org.r1wb.model.train.OptimizerSpec;

import java.util.Map;

/**
 * One stage of a {@link Recipe}. Paths are relative to the recipe file's folder.
 *
 * @param kind      what it does: a {@link StageKind#id()}
 * @param name      unique within the recipe; also the folder of its run ({@code <runs>/<name>})
 * @param input     the checkpoint it starts from: an earlier stage's name (that stage's final checkpoint) or a
 *                  checkpoint folder; absent, the previous stage's. A first pretrain stage starts from scratch.
 * @param data      what it reads: token shards (pretrain), prompt/response JSONL (sft), prompts with targets
 *                  (grpo, rejection-sample), pairs (dpo)
 * @param steps     optimizer steps (training stages)
 * @param batchSize rows per step (training stages)
 * @param seqLen    positions per row (training stages)
 * @param optimizer AdamW and schedule (training stages)
 * @param skip      {@code true} leaves the stage out of a run; its successors then start from its input
 * @param params    settings of this kind (see {@code docs/RECIPE.md}), e.g. {@code tokenizer} for sft,
 *                  {@code groupSize} for grpo
 */
public record RecipeStage(String kind, String name, String input, String data, Integer steps, Integer batchSize,
                          Integer seqLen, OptimizerSpec optimizer, Boolean skip, Map<String, Object> params) {

    /** Absent params read as none. */
    public RecipeStage {
        params = params == null ? Map.of() : params;
    }

    /** Whether the stage is left out of runs. */
    public boolean skipped() {
        return Boolean.TRUE.equals(skip);
    }
}
