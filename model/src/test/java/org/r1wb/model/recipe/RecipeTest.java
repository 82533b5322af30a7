package org.r1wb.model.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.export.ModelExport;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.recipe.grpo.HeldoutEvaluation;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.model.recipe.sft.SftReader;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
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
                          "stopAfter": ["</answer>"],
                          "rewards": [{"name": "accuracy"}, {"name": "format", "weight": 0.5}]}},
              {"kind": "quantize", "name": "int8", "params": {"bits": 8}},
              {"kind": "distill", "name": "student", "data": "data", "steps": 4, "batchSize": 2, "seqLen": 16,
               "optimizer": {"lr": 0.003, "minLr": 0.0003, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0},
               "params": {"studentModel": "student.model.json", "mode": "logit", "temperature": 2.0}}
            ]}""";

    private static final String OPTIMIZER =
            "{\"lr\": 0.003, \"minLr\": 0.0003, \"weightDecay\": 0.0, \"warmupSteps\": 0, \"gradClip\": 1.0}";

    /**
     * pretrain → sft → rejection-sample (of 12 prompts) → sft with LoRA adapters on the sampled set → dpo with LoRA
     * adapters.
     */
    private static final String CHAIN = """
            {"name": "chain", "model": "model.json", "seed": 5, "stages": [
              {"kind": "pretrain", "name": "base", "data": "data", "steps": 4, "batchSize": 2, "seqLen": 16,
               "optimizer": %1$s},
              {"kind": "sft", "name": "cold-start", "data": "sft.jsonl", "steps": 6, "batchSize": 2, "seqLen": 48,
               "optimizer": %1$s, "params": {"tokenizer": "data/tokenizer.json"}},
              {"kind": "rejection-sample", "name": "sample", "data": "grpo12.jsonl",
               "params": {"tokenizer": "data/tokenizer.json", "samples": 3, "maxNewTokens": 8, "temperature": 1.0,
                          "rewards": [{"name": "length", "params": {"maxTokens": 64}}], "thresholds": {"length": 0},
                          "out": "sampled/sft.jsonl"}},
              {"kind": "sft", "name": "distilled", "data": "sampled/sft.jsonl", "steps": 4, "batchSize": 2,
               "seqLen": 48, "optimizer": %1$s, "params": {"tokenizer": "data/tokenizer.json",
                                                            "lora": {"rank": 4, "alpha": 8, "targets": ["v_proj"]}}},
              {"kind": "dpo", "name": "prefer", "data": "dpo.jsonl", "steps": 4, "batchSize": 4, "seqLen": 48,
               "optimizer": %1$s, "params": {"tokenizer": "data/tokenizer.json", "beta": 0.1,
                                              "valData": "dpo-val.jsonl",
                                              "lora": {"rank": 4, "alpha": 8, "targets": ["q_proj", "v_proj"]}}}
            ]}""".formatted(OPTIMIZER);

    @Test
    void aGoodRecipeValidatesAndRoundTrips(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Path file = Files.writeString(dir.resolve("r1.recipe.json"), R1);
        Recipe recipe = Recipes.load(file);
        assertThat(RecipeValidator.validate(recipe, dir)).isEmpty();
        assertThat(recipe.stages()).extracting(RecipeStage::kind).containsExactly("pretrain", "sft", "grpo", "quantize", "distill");
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
                   "params": {"tokenizer": "data/tokenizer.json", "groupSize": 1, "foo": 2, "stopAfter": "</answer>",
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
                "stages[2].params.rewards", "stages[2].params.stopAfter",
                "stages[3].params.bits",
                "stages[4].name", "stages[4].params.tokenizer");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(find(problems, "stages[0].input").message()).startsWith("missing input checkpoint");
        assertThat(find(problems, "stages[1].kind").message()).isEqualTo("unknown stage kind \"gpro\"");
        assertThat(find(problems, "stages[1].kind").fix()).contains("grpo", "rejection-sample", "quantize");
        assertThat(find(problems, "stages[2].input").message()).contains("does not come before");
        assertThat(find(problems, "stages[2].params.rewards").message())
                .contains("unknown reward \"acurracy\"").contains("[1].params.maxTokens: must be a number");
        assertThat(find(problems, "stages[2].params.foo").fix()).contains("groupSize");
        assertThat(find(problems, "stages[2].params.stopAfter").fix()).contains("[\"</answer>\"]");
    }

    @Test
    void runsPretrainSftGrpoQuantizeAndDistillEachFromThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("r1.recipe.json"), R1));
        RecipeRunner runner = new RecipeRunner(recipe, dir, dir.resolve("runs"));
        List<String> messages = new ArrayList<>();
        List<Map<String, ?>> grpoMetrics = new ArrayList<>();
        List<Map<String, ?>> all = new ArrayList<>();
        EventSink events = (type, fields) -> {
            all.add(fields);
            if (type.equals("status")) {
                messages.add((String) fields.get("message"));
            } else if (type.equals("metric") && fields.containsKey("reward")) {
                grpoMetrics.add(fields);
            }
        };
        List<StageOutcome> outcomes = runner.run(null, events, () -> false);

        assertThat(outcomes).as("%s", outcomes).extracting(StageOutcome::state).containsExactly(
                StageOutcome.State.FINISHED, StageOutcome.State.FINISHED, StageOutcome.State.FINISHED,
                StageOutcome.State.FINISHED, StageOutcome.State.FINISHED);
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
        // every event names its stage first, and the stages' events follow one another in the recipe's order
        assertThat(all).allSatisfy(m -> assertThat(m.keySet().iterator().next()).isEqualTo(RecipeRunner.STAGE_FIELD));
        List<Object> stageOrder = new ArrayList<>();
        for (Map<String, ?> fields : all) {
            Object stage = fields.get(RecipeRunner.STAGE_FIELD);
            if (stageOrder.isEmpty() || !stageOrder.get(stageOrder.size() - 1).equals(stage)) {
                stageOrder.add(stage);
            }
        }
        assertThat(stageOrder).containsExactly("base", "cold-start", "rl", "int8", "student");
        assertThat(grpoMetrics).allSatisfy(m -> assertThat(m.get(RecipeRunner.STAGE_FIELD)).isEqualTo("rl"));
        Path export = runner.runDir("int8").resolve("export");
        assertThat(outcomes.get(3).message()).contains("int8", export.toString());
        assertThat(ModelExport.readConfig(export).quantization()).isEqualTo("int8");
        assertThat(outcomes.get(3).checkpoint()).as("the quantize stage hands its input on").isEqualTo(
                outcomes.get(2).checkpoint().toAbsolutePath());
        // the quantize stage hands the grpo checkpoint on: the teacher of the distill stage
        assertThat(messages).anyMatch(m -> m.startsWith("distilling " + outcomes.get(2).checkpoint().toAbsolutePath()
                + " into r1-tiny-student's student for 4 steps"));
        assertThat(Checkpoints.readMeta(outcomes.get(4).checkpoint()).model())
                .isEqualTo(ModelSpecs.load(dir.resolve("student.model.json")));
        assertThat(Checkpoints.readMeta(outcomes.get(4).checkpoint()).step()).isEqualTo(4);

        // again: the finished stages are passed over, not retrained
        messages.clear();
        List<StageOutcome> again = runner.run("cold-start", events, () -> false);
        assertThat(again).extracting(StageOutcome::state).containsExactly(StageOutcome.State.SKIPPED,
                StageOutcome.State.FINISHED, StageOutcome.State.SKIPPED, StageOutcome.State.SKIPPED,
                StageOutcome.State.SKIPPED);
        assertThat(messages).singleElement().asString().startsWith("already finished");
    }

    @Test
    void runsSftThenRejectionSamplingIntoANewSftSetThenSftOnItThenDpoWithAdapters(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Files.write(dir.resolve("grpo12.jsonl"), Files.readAllLines(dir.resolve("grpo.jsonl")).subList(0, 12));
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("chain.recipe.json"), CHAIN));
        assertThat(RecipeValidator.validate(recipe, dir)).isEmpty();
        RecipeRunner runner = new RecipeRunner(recipe, dir, dir.resolve("runs"));
        List<String> messages = new ArrayList<>();
        List<Map<String, ?>> sampling = new ArrayList<>();
        List<Map<String, ?>> dpoEvals = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("status")) {
                messages.add((String) fields.get("message"));
            } else if (type.equals("metric") && fields.containsKey("acceptance_rate")) {
                sampling.add(fields);
            } else if (type.equals("metric") && fields.containsKey("val_margin")) {
                dpoEvals.add(fields);
            }
        };
        List<StageOutcome> outcomes = runner.run(null, events, () -> false);

        assertThat(outcomes).extracting(StageOutcome::state).containsOnly(StageOutcome.State.FINISHED).hasSize(5);
        Path coldStart = runner.runDir("cold-start").resolve("checkpoints").resolve(Checkpoints.FINAL);
        assertThat(outcomes.get(2).checkpoint()).isEqualTo(coldStart.toAbsolutePath());
        assertThat(sampling).hasSize(12).allSatisfy(m -> assertThat(m.get("total")).isEqualTo(3));
        SftReader.Result set = SftReader.read(dir.resolve("sampled/sft.jsonl"), SftReader.OnError.STOP);
        int kept = sampling.stream().mapToInt(m -> (int) m.get("kept")).sum();
        assertThat(set.examples()).hasSize(kept).isNotEmpty();
        assertThat(set.examples()).allSatisfy(e -> assertThat(e.response()).isNotBlank().doesNotContain("<|end|>"));
        // the second sft trains on the sampled set, from the checkpoint the sampling stage handed on
        assertThat(messages).anyMatch(m -> m.contains("(sft) for 4 steps from " + coldStart.toAbsolutePath()));
        Path distilled = runner.runDir("distilled").resolve("checkpoints").resolve(Checkpoints.FINAL);
        assertThat(messages).anyMatch(m -> m.contains("(dpo) for 4 steps on 48 pairs from " + distilled.toAbsolutePath()));
        assertThat(dpoEvals).isNotEmpty().allSatisfy(m -> assertThat(m.keySet()).contains("val_loss",
                "val_accuracy", "val_logp_margin"));
        assertThat(runner.runDir("prefer").resolve("reference-logps.json")).exists();
        assertThat(runner.runDir("prefer").resolve("adapters/final/adapter.params")).exists();
        assertThat(runner.runDir("distilled").resolve("adapters/final/adapter.params")).exists();
    }

    @Test
    void aGrpoStageWithAdaptersTrainsThemOnly(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("lora.recipe.json"), """
                {"name": "lora", "model": "model.json", "seed": 2, "stages": [
                  {"kind": "pretrain", "name": "base", "data": "data", "steps": 2, "batchSize": 2, "seqLen": 16,
                   "optimizer": %1$s},
                  {"kind": "grpo", "name": "rl", "data": "grpo.jsonl", "steps": 2, "batchSize": 2, "seqLen": 48,
                   "optimizer": %1$s,
                   "params": {"tokenizer": "data/tokenizer.json", "groupSize": 4, "maxNewTokens": 6,
                              "rewards": [{"name": "length", "params": {"maxTokens": 3}}],
                              "lora": {"rank": 2, "alpha": 4, "targets": ["q_proj"]}}}
                ]}""".formatted(OPTIMIZER)));
        RecipeRunner runner = new RecipeRunner(recipe, dir, dir.resolve("runs"));
        List<StageOutcome> outcomes = runner.run(null, EventSink.NONE, () -> false);

        assertThat(outcomes).as("%s", outcomes).extracting(StageOutcome::state)
                .containsOnly(StageOutcome.State.FINISHED).hasSize(2);
        Path adapters = runner.runDir("rl").resolve("adapters/final");
        assertThat(adapters.resolve("adapter.params")).exists();
        assertThat(Files.readString(adapters.resolve("adapter.json"))).contains("layer0.attention.q_proj")
                .doesNotContain("v_proj");
    }

    @Test
    void loraIsTakenBySftGrpoAndDpoStagesAndCheckedWithPathAndFix(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        String lora = "\"lora\": {\"rank\": 0, \"alpha\": 8, \"targets\": [\"q_proj\", \"wq\"]}";
        String good = "\"lora\": {\"rank\": 4, \"alpha\": 8, \"targets\": [\"q_proj\"]}";
        String recipe = """
                {"name": "lora", "model": "model.json", "seed": 1, "stages": [
                  {"kind": "pretrain", "name": "a", "data": "data", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": %1$s, "params": {%3$s}},
                  {"kind": "sft", "name": "b", "data": "sft.jsonl", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": %1$s, "params": {"tokenizer": "data/tokenizer.json", %2$s}},
                  {"kind": "grpo", "name": "c", "data": "grpo.jsonl", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": %1$s, "params": {"tokenizer": "data/tokenizer.json", "rewards": [{"name": "format"}],
                                                  %2$s}},
                  {"kind": "dpo", "name": "d", "data": "dpo.jsonl", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": %1$s, "params": {"tokenizer": "data/tokenizer.json", %2$s}}
                ]}""";
        List<SpecProblem> problems = RecipeValidator.validate(Recipes.load(Files.writeString(
                dir.resolve("bad.recipe.json"), recipe.formatted(OPTIMIZER, lora, good))), dir);
        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder("stages[0].params.lora",
                "stages[1].params.lora.rank", "stages[1].params.lora.targets[1]",
                "stages[2].params.lora.rank", "stages[2].params.lora.targets[1]",
                "stages[3].params.lora.rank", "stages[3].params.lora.targets[1]");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(find(problems, "stages[0].params.lora").message()).contains("not a parameter of pretrain");
        assertThat(RecipeValidator.validate(Recipes.load(Files.writeString(dir.resolve("good.recipe.json"),
                recipe.formatted(OPTIMIZER, good, ""))), dir)).isEmpty();
    }

    @Test
    void rejectionSampleAndDpoParamsAreCheckedWithPathAndFix(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("bad.recipe.json"), """
                {"name": "bad", "model": "model.json", "seed": 1, "stages": [
                  {"kind": "rejection-sample", "name": "a", "data": "grpo.jsonl", "input": "model.json",
                   "params": {"tokenizer": "data/tokenizer.json", "rewards": [{"name": "accuracy"}],
                              "topP": 1.5, "out": "out.jsonl"}},
                  {"kind": "rejection-sample", "name": "b", "data": "grpo.jsonl",
                   "params": {"tokenizer": "data/tokenizer.json", "rewards": [{"name": "accuracy"}],
                              "thresholds": {"format": 1, "accuracy": "one"}, "out": "out2.jsonl"}},
                  {"kind": "dpo", "name": "c", "data": "dpo.jsonl", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": {"lr": 0.001, "minLr": 0.0, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0},
                   "params": {"tokenizer": "data/tokenizer.json", "beta": 0, "valData": "missing.jsonl",
                              "lora": {"rank": 0, "alpha": 16, "targets": ["q_proj", "wq"]}}},
                  {"kind": "sft", "name": "d", "data": "out.jsonl", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": {"lr": 0.001, "minLr": 0.0, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0},
                   "params": {"tokenizer": "data/tokenizer.json"}}
                ]}"""));
        List<SpecProblem> problems = RecipeValidator.validate(recipe, dir);
        // out.jsonl does not exist yet, but stage a writes it: stage d may read it
        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "stages[0].params.topP", "stages[0].params.minReward",
                "stages[1].params.thresholds", "stages[1].params.thresholds.format",
                "stages[2].params.beta", "stages[2].params.valData", "stages[2].params.lora.rank",
                "stages[2].params.lora.targets[1]");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(find(problems, "stages[0].params.minReward").fix()).contains("thresholds");
        assertThat(find(problems, "stages[1].params.thresholds").message()).contains("accuracy must be a number");
        assertThat(find(problems, "stages[1].params.thresholds.format").fix()).contains("[accuracy]");
    }

    @Test
    void distillParamsAreCheckedWithPathAndFix(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        ModelSpec student = ModelSpecs.load(dir.resolve("student.model.json"));
        ModelSpecs.save(new ModelSpec(student.vocabSize() + 1, 16, 1, 2, 2, 8, 10000.0, 8, 1e-5, 0.0, true, 1, 32,
                null), dir.resolve("other.model.json"));
        String distill = """
                {"kind": "distill", "name": "%s", "data": "data", "steps": 1, "batchSize": 1, "seqLen": 16,
                 "optimizer": %s, "params": %s}""";
        Recipe bad = Recipes.load(Files.writeString(dir.resolve("bad.recipe.json"), """
                {"name": "bad", "model": "model.json", "seed": 1, "stages": [
                  {"kind": "pretrain", "name": "base", "data": "data", "steps": 1, "batchSize": 1, "seqLen": 8,
                   "optimizer": %1$s},
                  %2$s, %3$s, %4$s
                ]}""".formatted(OPTIMIZER,
                distill.formatted("a", OPTIMIZER, "{\"studentModel\": \"other.model.json\", \"alpha\": -1, "
                        + "\"samples\": 4}"),
                distill.formatted("b", OPTIMIZER, "{\"teacher\": \"model.json\", \"mode\": \"soft\"}"),
                distill.formatted("c", OPTIMIZER, "{\"studentModel\": \"student.model.json\", \"mode\": \"trace\", "
                        + "\"alpha\": 0.5}"))));
        List<SpecProblem> problems = RecipeValidator.validate(bad, dir);
        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "stages[1].params.studentModel", "stages[1].seqLen", "stages[1].params.alpha",
                "stages[1].params.samples",
                "stages[2].params.studentModel", "stages[2].params.teacher", "stages[2].params.mode",
                "stages[3].params.tokenizer", "stages[3].params.rewards", "stages[3].params.minReward",
                "stages[3].params.alpha");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(find(problems, "stages[1].params.samples").message()).isEqualTo("applies only to mode \"trace\"");
        assertThat(find(problems, "stages[1].params.studentModel").fix())
                .isEqualTo("set vocabSize to " + student.vocabSize() + " in other.model.json");
        assertThat(find(problems, "stages[2].params.studentModel").message()).contains("is missing");

    }

    @Test
    void traceDistillationTrainsTheStudentOnTheTeachersAcceptedCompletions(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Files.write(dir.resolve("grpo8.jsonl"), Files.readAllLines(dir.resolve("grpo.jsonl")).subList(0, 8));
        Recipe trace = Recipes.load(Files.writeString(dir.resolve("trace.recipe.json"), """
                {"name": "trace", "model": "model.json", "seed": 1, "stages": [
                  {"kind": "pretrain", "name": "base", "data": "data", "steps": 4, "batchSize": 2, "seqLen": 16,
                   "optimizer": %1$s},
                  {"kind": "distill", "name": "student", "data": "grpo8.jsonl", "steps": 3, "batchSize": 2,
                   "seqLen": 48, "optimizer": %1$s,
                   "params": {"studentModel": "student.model.json", "mode": "trace", "tokenizer": "data/tokenizer.json",
                              "samples": 2, "maxNewTokens": 6, "temperature": 1.0, "stopAfter": ["</answer>"],
                              "valData": "grpo8.jsonl",
                              "rewards": [{"name": "length", "params": {"maxTokens": 64}}], "thresholds": {"length": 0}}}
                ]}""".formatted(OPTIMIZER)));
        RecipeRunner runner = new RecipeRunner(trace, dir, dir.resolve("runs"));
        List<String> messages = new ArrayList<>();
        List<Map<String, ?>> heldOut = new ArrayList<>();
        List<StageOutcome> outcomes = runner.run(null, (type, fields) -> {
            if (type.equals("status")) {
                messages.add((String) fields.get("message"));
            } else if (type.equals("metric") && fields.containsKey("val_reward")) {
                heldOut.add(fields);
            }
        }, () -> false);

        assertThat(outcomes).as("%s", outcomes).extracting(StageOutcome::state)
                .containsExactly(StageOutcome.State.FINISHED, StageOutcome.State.FINISHED);
        Path base = runner.runDir("base").resolve("checkpoints").resolve(Checkpoints.FINAL);
        assertThat(messages).anyMatch(m -> m.contains("2 completions of each of 8 prompts from " + base.toAbsolutePath()));
        SftReader.Result traces = SftReader.read(runner.runDir("student").resolve("traces.jsonl"), SftReader.OnError.STOP);
        assertThat(traces.examples()).isNotEmpty().allSatisfy(e -> assertThat(e.response()).isNotBlank());
        // a trace ends at the stopAfter token when it has one
        assertThat(traces.examples()).allSatisfy(e -> assertThat(e.response().indexOf("</answer>"))
                .isIn(-1, e.response().length() - "</answer>".length()));
        // the student's held-out answers: one evaluation after its last step, kept beside its run
        assertThat(heldOut).singleElement().satisfies(m -> {
            assertThat(m.get("step")).isEqualTo(3);
            assertThat(m.get("val_prompts")).isEqualTo(8);
            assertThat(m).containsKey("val_length");
        });
        assertThat(RolloutLog.read(runner.runDir("student").resolve(HeldoutEvaluation.FILE)))
                .singleElement().satisfies(step -> assertThat(step.groups()).hasSize(8));
        ModelSpec student = ModelSpecs.load(dir.resolve("student.model.json"));
        assertThat(Checkpoints.readMeta(outcomes.get(1).checkpoint()).model()).isEqualTo(student);
        assertThat(Checkpoints.readMeta(outcomes.get(1).checkpoint()).step()).isEqualTo(3);
        assertThat(messages).anyMatch(m -> m.contains("(sft) for 3 steps from "
                + runner.runDir("student").resolve("student-init").resolve(Checkpoints.FINAL)));
    }

    @Test
    void aBadGrpoPromptLineFailsTheStageWithItsFileAndLine(@TempDir Path dir) throws Exception {
        RecipeFixtures.workspace(dir);
        Files.writeString(dir.resolve("grpo.jsonl"), "{\"prompt\": \"1+1\", \"target\": 2}\n{\"prompt\": \"2+2\"\n");
        Recipe recipe = Recipes.load(Files.writeString(dir.resolve("r1.recipe.json"), R1));
        List<Map<String, ?>> failures = new ArrayList<>();
        List<StageOutcome> outcomes = new RecipeRunner(recipe, dir, dir.resolve("runs"))
                .run("rl", (type, fields) -> {
                    if (type.equals("status")) {
                        failures.add(fields);
                    }
                }, () -> false);
        assertThat(outcomes.get(2).state()).isEqualTo(StageOutcome.State.FAILED);
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.get(RecipeRunner.STAGE_FIELD)).isEqualTo("rl"));
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
