package org.r1wb.workbench.recipe;

import org.junit.jupiter.api.Test;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeStage;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which stage each stage takes its checkpoint from, as the chain draws it. */
class RecipeChainTest {

    private static RecipeStage stage(String name, String input) {
        return new RecipeStage("sft", name, input, null, null, null, null, null, null, Map.of());
    }

    @Test
    void linksThePreviousStageOrTheNamedOneAndNamesCheckpointFolders() {
        Recipe recipe = new Recipe("r", "m", 1, List.of(stage("a", null), stage("b", null), stage("c", "a"),
                stage("d", "runs/x/checkpoints/final"), stage("e", "f"), stage("f", null)));
        assertThat(RecipeChain.links(recipe)).containsExactly(new RecipeChain.Link(0, 1, false),
                new RecipeChain.Link(0, 2, true), new RecipeChain.Link(4, 5, false));
        assertThat(RecipeChain.externalInput(recipe, 3)).hasValue("runs/x/checkpoints/final");
        assertThat(RecipeChain.externalInput(recipe, 2)).as("a stage, not a folder").isEmpty();
        assertThat(RecipeChain.externalInput(recipe, 4)).as("a later stage is a validation problem, not a folder")
                .isEmpty();
        assertThat(RecipeChain.externalInput(recipe, 1)).isEmpty();
    }
}
