package org.r1wb.workbench.recipe;

import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recipe as the editor draws it: one link per stage from the stage whose checkpoint it starts from — the
 * previous stage, or the earlier stage its {@code input} names. A stage whose {@code input} is a checkpoint folder has
 * no link; {@link #externalInput} names the folder instead.
 */
public final class RecipeChain {

    /**
     * A checkpoint hand-over.
     *
     * @param from     the index of the stage whose checkpoint is taken
     * @param to       the index of the stage that starts from it
     * @param explicit whether the later stage names {@code from} in its {@code input} (else it is the previous one)
     */
    public record Link(int from, int to, boolean explicit) {
    }

    private RecipeChain() {
    }

    /** Every link of {@code recipe}, ordered by the stage that starts from the checkpoint. */
    public static List<Link> links(Recipe recipe) {
        List<RecipeStage> stages = recipe.stages();
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            String input = stages.get(i).input();
            if (input == null) {
                if (i > 0) {
                    links.add(new Link(i - 1, i, false));
                }
                continue;
            }
            int from = indexOf(stages, input);
            // an input naming a later stage is a validation problem; only earlier ones are drawn
            if (from >= 0 && from < i) {
                links.add(new Link(from, i, true));
            }
        }
        return links;
    }

    /** The checkpoint folder stage {@code index} starts from, when its {@code input} names no stage of the recipe. */
    public static Optional<String> externalInput(Recipe recipe, int index) {
        String input = recipe.stages().get(index).input();
        return input == null || indexOf(recipe.stages(), input) >= 0 ? Optional.empty() : Optional.of(input);
    }

    private static int indexOf(List<RecipeStage> stages, String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (name.equals(stages.get(i).name())) {
                return i;
            }
        }
        return -1;
    }
}
