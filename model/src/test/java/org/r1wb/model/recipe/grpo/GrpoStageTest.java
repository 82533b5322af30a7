package org.r1wb.model.recipe.grpo;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpoStageTest {

    private static final ModelSpec SPEC = TinySpecs.tiny();
    private static final long SEED = 11;

    /** Ids as characters '0'…: prompt "abc" is ids of its letters mod 64, a completion is one character per id. */
    private static final GrpoStage.Codec CODEC = new GrpoStage.Codec() {
        @Override
        public int[] prompt(String text) {
            return text.chars().map(c -> c % 64).toArray();
        }

        @Override
        public String decode(int[] completion) {
            StringBuilder text = new StringBuilder();
            for (int id : completion) {
                text.append((char) ('0' + id));
            }
            return text.toString();
        }

        @Override
        public int endOfTurn() {
            return -1;
        }
    };

    /** 1 when the completion starts with one of the 8 lowest ids (about 1 in 8 at random). */
    private static final Reward STARTS_LOW = new Reward() {
        @Override
        public String name() {
            return "starts_low";
        }

        @Override
        public double score(Completion completion, Map<String, Object> params) {
            return !completion.text().isEmpty() && completion.text().charAt(0) < '0' + 8 ? 1 : 0;
        }
    };

    private static final List<GrpoPrompt> PROMPTS = List.of(new GrpoPrompt("abc", "0", "t:1"),
            new GrpoPrompt("xyz", "0", "t:2"), new GrpoPrompt("hello", "0", "t:3"));

    @Test
    void meanRewardRisesAndEveryEventHasItsFields(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> metrics = new ArrayList<>();
        List<Map<String, ?>> checkpoints = new ArrayList<>();
        List<String> states = new ArrayList<>();
        EventSink events = (type, fields) -> {
            switch (type) {
                case "metric" -> metrics.add(new LinkedHashMap<>(fields));
                case "checkpoint" -> checkpoints.add(fields);
                case "status" -> states.add((String) fields.get("state"));
                default -> { }
            }
        };
        TrainResult result = stage(dir, 24, 10).run(dir.resolve("run"), events, () -> false);

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(states).containsExactly("running", "finished");
        assertThat(metrics).hasSize(24).allSatisfy(m -> assertThat(m.keySet()).contains("step", "loss", "lr", "reward",
                "reward_std", "reward_starts_low", "reward_starts_low_std", "kl", "completion_length", "clip_fraction"));
        assertThat(metrics).extracting(m -> (Object) m.get("step")).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 24).boxed().toList());
        assertThat(metrics.get(0).get("completion_length")).isEqualTo(2.0);
        double early = meanReward(metrics.subList(0, 4));
        double late = meanReward(metrics.subList(20, 24));
        assertThat(early).isLessThan(0.4);
        assertThat(late).isGreaterThan(early + 0.3);
        assertThat((double) metrics.get(23).get("kl")).isGreaterThan(0);

        assertThat(checkpoints).extracting(c -> (Object) c.get("step")).containsExactly(10, 20, 24);
        assertThat(checkpoints.get(2).get("path")).isEqualTo("checkpoints/final");
        Path last = result.checkpoint();
        assertThat(last.resolve(Checkpoints.OPTIMIZER)).exists();
        assertThat(Checkpoints.readMeta(last).step()).isEqualTo(24);
        assertThat(Checkpoints.sha256(last.resolve(Checkpoints.WEIGHTS))).isEqualTo(checkpoints.get(2).get("digest"));

        // the rollout browser's file: every step's groups, rewards that make the step's mean, zero-mean advantages
        List<RolloutLog.Step> rollouts = RolloutLog.read(dir.resolve("run").resolve(RolloutLog.FILE));
        assertThat(rollouts).extracting(RolloutLog.Step::step).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 24).boxed().toList());
        for (RolloutLog.Step step : rollouts) {
            List<RolloutLog.Completion> all = step.groups().stream().flatMap(g -> g.completions().stream()).toList();
            assertThat(all.stream().mapToDouble(RolloutLog.Completion::reward).average().orElseThrow())
                    .as("step %d", step.step()).isCloseTo((double) metrics.get(step.step() - 1).get("reward"), within(1e-9));
            for (RolloutLog.Group group : step.groups()) {
                assertThat(group.completions()).hasSize(8);
                assertThat(group.completions().stream().mapToDouble(RolloutLog.Completion::advantage).sum())
                        .isCloseTo(0, within(1e-9));
                assertThat(group.completions()).allSatisfy(c -> assertThat(c.rewards()).containsKey("starts_low"));
            }
        }
    }

    @Test
    void aRunCancelledAfterStepFiveAndResumedRepeatsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> straight = new ArrayList<>();
        stage(dir, 8, 3).run(dir.resolve("a"), (type, fields) -> {
            if (type.equals("metric")) {
                straight.add(fields);
            }
        }, () -> false);

        List<Map<String, ?>> interrupted = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric")) {
                interrupted.add(fields);
            } else if (type.equals("status")) {
                messages.add(fields.get("state") + ": " + fields.get("message"));
            }
        };
        TrainResult cancelled = stage(dir, 8, 3).run(dir.resolve("b"), events, () -> interrupted.size() >= 5);
        assertThat(cancelled.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        assertThat(cancelled.checkpoint().getFileName().toString()).isEqualTo("step-5");
        assertThat(messages).last().isEqualTo("cancelled: cancelled after step 5");

        TrainResult resumed = stage(dir, 8, 3).run(dir.resolve("b"), events, () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(messages).anyMatch(m -> m.contains("resuming") && m.contains("from step 5 of 8"));
        assertThat(interrupted).hasSize(8);
        for (int i = 0; i < 8; i++) {
            for (String field : List.of("step", "loss", "reward", "reward_std", "kl", "clip_fraction",
                    "completion_length")) {
                assertThat(interrupted.get(i).get(field)).as("step %d %s", i + 1, field)
                        .isEqualTo(straight.get(i).get(field));
            }
        }
        assertThat(Checkpoints.readMeta(resumed.checkpoint()).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(dir.resolve("a/checkpoints/final")).weightsDigest());
        // the control: the rewards are not all equal, so the comparison could tell runs apart
        assertThat(straight.stream().map(m -> m.get("loss")).distinct().count()).isGreaterThan(1);
    }

    @Test
    void heldOutPromptsAreAnsweredGreedilyBeforeTheFirstStepEveryKStepsAndAtTheEnd(@TempDir Path dir) throws Exception {
        // lengths 2, 2, 3, 5: two prompts share a batch, the others decode alone
        List<GrpoPrompt> heldOut = List.of(new GrpoPrompt("pq", "0", "h:1"), new GrpoPrompt("rs", "0", "h:2"),
                new GrpoPrompt("tuv", "0", "h:3"), new GrpoPrompt("world", "0", "h:4"));
        WeightedRewards rewards = new WeightedRewards(List.of(new WeightedRewards.Term(STARTS_LOW, 1.0, Map.of())));
        GrpoStage.Validation validation = new GrpoStage.Validation(new HeldoutEvaluation(heldOut, CODEC, rewards, 2), 5);
        List<Map<String, ?>> val = new ArrayList<>();
        List<Map<String, ?>> train = new ArrayList<>();
        TrainResult result = new GrpoStage(config(dir, 12, 6), PROMPTS, CODEC, rewards, validation)
                .run(dir.resolve("run"), (type, fields) -> {
                    if (type.equals("metric")) {
                        (fields.containsKey("val_reward") ? val : train).add(fields);
                    }
                }, () -> false);

        assertThat(train).hasSize(12);
        assertThat(val).extracting(m -> (Object) m.get("step")).containsExactly(0, 5, 10, 12);
        assertThat(val).allSatisfy(m -> assertThat(m.keySet()).contains("val_reward", "val_starts_low",
                "val_completion_length", "val_prompts", "val_s"));
        // the same figure by another road: each prompt decoded alone, greedily, and scored
        assertThat((double) val.get(0).get("val_starts_low"))
                .isEqualTo(greedyScore(dir.resolve("init").resolve(Checkpoints.FINAL), heldOut));
        assertThat((double) val.get(3).get("val_starts_low")).isEqualTo(greedyScore(result.checkpoint(), heldOut));
        assertThat(val.get(3).get("val_prompts")).isEqualTo(4);

        // the answers behind each figure, in the rollout log's format, prompts in the held-out order
        List<RolloutLog.Step> answers = RolloutLog.read(dir.resolve("run").resolve(HeldoutEvaluation.FILE));
        assertThat(answers).extracting(RolloutLog.Step::step).containsExactly(0, 5, 10, 12);
        for (int i = 0; i < answers.size(); i++) {
            RolloutLog.Step step = answers.get(i);
            assertThat(step.groups()).extracting(RolloutLog.Group::prompt).containsExactly("pq", "rs", "tuv", "world");
            assertThat(step.groups().stream().mapToDouble(g -> g.completions().get(0).rewards().get("starts_low"))
                    .average().orElseThrow()).isEqualTo((double) val.get(i).get("val_starts_low"));
        }
    }

    @Test
    void aCompletionEndsAfterAnExtraStopIdWhichItKeeps(@TempDir Path dir) throws Exception {
        // id 5 ('5') closes an answer: nothing after it is sampled, and it stays in the completion and its text
        GrpoStage.Codec stopAtFive = new GrpoStage.Codec() {
            @Override
            public int[] prompt(String text) {
                return CODEC.prompt(text);
            }

            @Override
            public String decode(int[] completion) {
                return CODEC.decode(completion);
            }

            @Override
            public int endOfTurn() {
                return -1;
            }

            @Override
            public int[] stopIds() {
                return new int[] {5};
            }
        };
        GrpoStage.Config base = config(dir, 6, 6);
        GrpoStage.Config longer = new GrpoStage.Config(base.runId(), base.model(), base.seed(), base.steps(),
                base.batchSize(), base.optimizer(), base.groupSize(), base.iterations(), 3.0, 12, base.clip(),
                base.beta(), base.checkpointEvery(), base.keep(), base.init());
        new GrpoStage(longer, PROMPTS, stopAtFive, new WeightedRewards(List.of(new WeightedRewards.Term(STARTS_LOW, 1.0,
                Map.of())))).run(dir.resolve("run"), EventSink.NONE, () -> false);
        List<RolloutLog.Completion> all = RolloutLog.read(dir.resolve("run").resolve(RolloutLog.FILE)).stream()
                .flatMap(s -> s.groups().stream()).flatMap(g -> g.completions().stream()).toList();
        assertThat(all).allSatisfy(c -> {
            int five = c.text().indexOf('5');
            assertThat(five).as(c.text()).isIn(-1, c.text().length() - 1);
            assertThat(c.tokens()).isEqualTo(c.text().length());
        });
        // the control: some completions did stop early, the rest ran to 12 tokens
        assertThat(all).anySatisfy(c -> assertThat(c.text()).endsWith("5").hasSizeLessThan(12));
        assertThat(all).anySatisfy(c -> assertThat(c.tokens()).isEqualTo(12));
    }

    /** The share of {@code prompts} whose greedy two-token answer starts low, one prompt at a time. */
    private static double greedyScore(Path checkpoint, List<GrpoPrompt> prompts) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            org.r1wb.model.generate.Generator generator = new org.r1wb.model.generate.Generator(
                    Checkpoints.loadModel(checkpoint, Checkpoints.readMeta(checkpoint), manager), manager);
            double sum = 0;
            for (GrpoPrompt prompt : prompts) {
                int[] answer = generator.generate(CODEC.prompt(prompt.prompt()),
                        org.r1wb.model.generate.GenerationConfig.greedy(2), null).tokens();
                sum += STARTS_LOW.score(new Completion(prompt.prompt(), CODEC.decode(answer), "0", 2), Map.of());
            }
            return sum / prompts.size();
        }
    }

    @Test
    void aBadPromptLineIsReportedWithItsFileAndLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("task.jsonl"), """
                {"prompt": "1+1", "target": 2}

                {"prompt": "2+2"}
                """);
        assertThatThrownBy(() -> GrpoPromptReader.read(file))
                .hasMessage(file + ":3: \"target\" is missing (the accuracy reward compares the answer with it)");
        Files.writeString(file, "{\"prompt\": \"1+1\", \"target\": \"2\"}\n{\"prompt\": 5, \"target\": \"1\"}\n");
        assertThatThrownBy(() -> GrpoPromptReader.read(file)).hasMessageStartingWith(file + ":2: \"prompt\" must be");
        Files.writeString(file, "{\"prompt\": \"1+1\", \"target\": 2}\n");
        assertThat(GrpoPromptReader.read(file)).containsExactly(new GrpoPrompt("1+1", "2", file + ":1"));
    }

    @Test
    void aPromptThatCannotFitTheModelWithItsCompletionIsRefusedWithItsPlace(@TempDir Path dir) throws Exception {
        Path init = dir.resolve("init");
        GrpoStage.Config config = new GrpoStage.Config("long", SPEC, SEED, 1, 1,
                new OptimizerSpec(1e-2, 1e-2, 0.0, 0, 0, 0, 1.0), 2, 1, 1.0, 2, 0.2, 0.0, 1, 1, init);
        List<GrpoPrompt> prompts = List.of(new GrpoPrompt("ok", "0", "task.jsonl:1"),
                new GrpoPrompt("x".repeat(SPEC.maxSeqLen()), "0", "task.jsonl:2"));
        WeightedRewards rewards = new WeightedRewards(List.of(new WeightedRewards.Term(STARTS_LOW, 1.0, Map.of())));
        assertThatThrownBy(() -> new GrpoStage(config, prompts, CODEC, rewards))
                .hasMessageStartingWith("task.jsonl:2: the prompt's " + SPEC.maxSeqLen() + " tokens")
                .hasMessageContaining("lower maxNewTokens");
        assertThat(new GrpoStage(config, prompts.subList(0, 1), CODEC, rewards)).isNotNull();
    }

    static GrpoStage stage(Path dir, int steps, int checkpointEvery) throws IOException {
        return new GrpoStage(config(dir, steps, checkpointEvery), PROMPTS, CODEC,
                new WeightedRewards(List.of(new WeightedRewards.Term(STARTS_LOW, 1.0, Map.of()))));
    }

    /** The test stage's settings, its init checkpoint written under {@code dir} first. */
    private static GrpoStage.Config config(Path dir, int steps, int checkpointEvery) throws IOException {
        Path init = dir.resolve("init").resolve(Checkpoints.FINAL);
        if (!Files.exists(init)) {
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeTransformer model = MoeTransformer.create(SPEC, manager, 4);
                Checkpoints.write(init.getParent(), Checkpoints.FINAL, model, null, new CheckpointMeta(
                        Checkpoints.FORMAT_VERSION, "init", 0, SPEC, null, Double.NaN, null, 4));
            }
        }
        return new GrpoStage.Config("grpo-test", SPEC, SEED, steps, 2,
                new OptimizerSpec(1e-2, 1e-2, 0.0, 0, 0, 0, 1.0), 8, 2, 1.0, 2, 0.2, 0.01, checkpointEvery, 2, init);
    }

    private static double meanReward(List<Map<String, ?>> metrics) {
        return metrics.stream().mapToDouble(m -> (double) m.get("reward")).average().orElseThrow();
    }
}
