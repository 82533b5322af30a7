package org.r1wb.model.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.train.Checkpoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecipeTest {

    private static final String R1 = """
            {"name": "r1-tiny", "model": "model.json", "seed": 3, "stages": [
              {"kind": "pretrain", "name": "base", "data": "data", "steps": 4, "batchSize": 2, "seqLen": 16,
               "optimizer": {"lr": 0.003, "minLr": 0.0003, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0}},
              {"kind": "sft", "name": "cold-start", "data": "sft.jsonl", "steps": 6, "batchSize": 2, "seqLen": 48,
               "optimizer": {"lr": 0.003, "minLr": 0.0003, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0},
               "params": {"tokenizer": "data/tokenizer.json", "onError": "stop"}},
              {"kind": "grpo", "name": "rl", "data": "grpo.jsonl", "steps": 3, "batchSize": 2, "seqLen": 48,
               "optimizer": {"lr": 0.0001, "minLr": 0.00001, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0},
               "params": {"tokenizer": "data/tokenizer.json", "groupSize": 4, "beta": 0.04, "maxNewTokens": 6,
                          "rewards": [{"name": "accuracy"}, {"name": "format", "weight": 0.5}]}},
              {"kind": "quantize", "name": "int4", "params": {"bits": 4, "groupSize": 64}}
            ]}""";

    @Test
    void aGoodRecipeValidatesAndRoundTrips(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Path file = Files.writeString(dir.resolve("r1.recipe.json"), R1);
        Recipe recipe = Recipes.load(file);
        assertThat(RecipeValidator.validate(recipe, dir)).isEmpty();
        assertThat(recipe.stages()).extracting(RecipeStage::kind).containsExactly("pretrain", "sft", "grpo", "quantize");
        Recipes.save(recipe, dir.resolve("copy.recipe.json"));
        assertThat(Recipes.load(dir.resolve("copy.recipe.json"))).isEqualTo(recipe);
    }

    @Test
    void reportsEveryProblemWithItsPathAndAFix(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("bad.recipe.json"), """
                {"name": "bad", "model": "model.json", "seed": 1, "stages": [
                  {"kind": "sft", "name": "a", "data": "missing.jsonl", "steps": 5, "batchSize": 2, "seqLen": 500,
                   "optimizer": {"lr": 0.003, "minLr": 0.01, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0}},
                  {"kind": "gpro", "name": "b"},
                  {"kind": "grpo", "name": "c", "data": "sft.jsonl", "input": "d",
                   "params": {"tokenizer": "data/tokenizer.json", "groupSize": 1, "foo": 2,
                              "rewards": [{"name": "acurracy"}, {"name": "length", "params": {"maxTokens": "x"}}]}},
                  {"kind": "quantize", "name": "d", "params": {"bits": 3}},
                  {"kind": "dpo", "name": "d", "data": "sft.jsonl", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": {"lr": 0.001, "minLr": 0.0, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0}}
                ]}"""));
        List<SpecProblem> problems = RecipeValidator.validate(recipe, dir);
        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "stages[0].input", "stages[0].data", "stages[0].optimizer.minLr", "stages[0].seqLen",
                "stages[0].params.tokenizer",
                "stages[1].kind",
                "stages[2].input", "stages[2]", "stages[2].params.groupSize", "stages[2].params.foo",
                "stages[2].params.rewards",
                "stages[3].params.bits",
                "stages[4].name");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(find(problems, "stages[0].input").message()).startsWith("missing input checkpoint");
        assertThat(find(problems, "stages[1].kind").message()).isEqualTo("unknown stage kind \"gpro\"");
        assertThat(find(problems, "stages[1].kind").fix()).contains("grpo", "rejection-sample", "quantize");
        assertThat(find(problems, "stages[2].input").message()).contains("does not come before");
        assertThat(find(problems, "stages[2].params.rewards").message())
                .contains("unknown reward \"acurracy\"").contains("[1].params.maxTokens: must be a number");
        assertThat(find(problems, "stages[2].params.foo").fix()).contains("groupSize");
    }

    @Test
    void runsPretrainSftAndGrpoEachFromThePreviousCheckpointAndStopsPlainlyAtTheFirstStageNotImplemented(
            @TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("r1.recipe.json"), R1));
        RecipeRunner runner = new RecipeRunner(recipe, dir, dir.resolve("runs"));
        List<String> messages = new ArrayList<>();
        List<Map<String, ?>> grpoMetrics = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("status")) {
                messages.add((String) fields.get("message"));
            } else if (type.equals("metric") && fields.containsKey("reward")) {
                grpoMetrics.add(fields);
            }
        };
        List<StageOutcome> outcomes = runner.run(null, events, () -> false);

        assertThat(outcomes).extracting(StageOutcome::state).containsExactly(StageOutcome.State.FINISHED,
                StageOutcome.State.FINISHED, StageOutcome.State.FINISHED, StageOutcome.State.NOT_IMPLEMENTED);
        Path base = runner.runDir("base").resolve("checkpoints").resolve(Checkpoints.FINAL);
        assertThat(outcomes.get(0).checkpoint()).isEqualTo(base);
        assertThat(Checkpoints.readMeta(outcomes.get(1).checkpoint()).step()).isEqualTo(6);
        assertThat(messages).anyMatch(m -> m.contains("(sft) for 6 steps from " + base.toAbsolutePath()));
        Path sftFinal = runner.runDir("cold-start").resolve("checkpoints").resolve(Checkpoints.FINAL);
        assertThat(messages).anyMatch(m -> m.contains("(grpo) for 3 steps from " + sftFinal.toAbsolutePath()));
        assertThat(Checkpoints.readMeta(outcomes.get(2).checkpoint()).step()).isEqualTo(3);
        assertThat(grpoMetrics).hasSize(3).allSatisfy(m -> assertThat(m.keySet()).contains("reward_accuracy",
                "reward_format", "kl", "completion_length", "clip_fraction", "loss"));
        assertThat(grpoMetrics).allSatisfy(m -> assertThat((double) m.get("completion_length")).isBetween(1.0, 6.0));
        assertThat(outcomes.get(3).message()).contains("\"int4\" (quantize) is not implemented yet");

        // again: the finished stages are passed over, not retrained
        messages.clear();
        List<StageOutcome> again = runner.run("cold-start", events, () -> false);
        assertThat(again).extracting(StageOutcome::state).containsExactly(StageOutcome.State.SKIPPED,
                StageOutcome.State.FINISHED, StageOutcome.State.SKIPPED, StageOutcome.State.SKIPPED);
        assertThat(messages).singleElement().asString().startsWith("already finished");
    }

    @Test
    void aBadGrpoPromptLineFailsTheStageWithItsFileAndLine(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Files.writeString(dir.resolve("grpo.jsonl"), "{\"prompt\": \"1+1\", \"target\": 2}\n{\"prompt\": \"2+2\"\n");
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("r1.recipe.json"), R1));
        List<StageOutcome> outcomes = new RecipeRunner(recipe, dir, dir.resolve("runs"))
                .run("rl", EventSink.NONE, () -> false);
        assertThat(outcomes.get(2).state()).isEqualTo(StageOutcome.State.FAILED);
        assertThat(outcomes.get(2).message()).contains(dir.resolve("grpo.jsonl") + ":2: not valid JSON");
    }

    @Test
    void anInvalidRecipeDoesNotRun(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Recipe recipe = new Recipe("x", "model.json", 1, List.of(new RecipeStage("sft", "s", null, "sft.jsonl",
                1, 1, 8, null, null, Map.of())));
        assertThatThrownBy(() -> new RecipeRunner(recipe, dir, dir.resolve("runs")))
                .hasMessageContaining("stages[0].input").hasMessageContaining("stages[0].optimizer")
                .hasMessageContaining("stages[0].params.tokenizer");
    }

    private static SpecProblem find(List<SpecProblem> problems, String path) {
        return problems.stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow();
    }
}
