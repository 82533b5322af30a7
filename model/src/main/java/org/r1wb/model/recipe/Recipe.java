package org.r1wb.model.recipe;

import java.util.List;

/**
 * A {@code *.recipe.json}: the R1 chain of stages (pretrain → sft → grpo → rejection-sample → sft → dpo → distill →
 * quantize, in any order, any stage skipped or repeated), each starting from the previous stage's checkpoint.
 * Check with {@link RecipeValidator}; run with {@link RecipeRunner}.
 *
 * @param name   the recipe's name, also its runs' id prefix
 * @param model  the model spec file ({@code *.model.json}), relative to the recipe file's folder
 * @param seed   the seed of every stage (weights, batches, sampling)
 * @param stages the stages in the order they run
 */
public record Recipe(String name, String model, long seed, List<RecipeStage> stages) {

    /** Absent stages read as none. */
    public Recipe {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }
}
