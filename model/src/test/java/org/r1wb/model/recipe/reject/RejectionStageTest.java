package org.r1wb.model.recipe.reject;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.recipe.grpo.GrpoPrompt;
import org.r1wb.model.recipe.grpo.GrpoStage;
import org.r1wb.model.recipe.grpo.WeightedRewards;
import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.model.recipe.sft.SftExample;
import org.r1wb.model.recipe.sft.SftReader;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RejectionStageTest {

    private static final ModelSpec SPEC = TinySpecs.tiny();

    /**
     * One-token completions: ids below 16 read as "ok" followed by 0–2 spaces (one answer, written three ways, so
     * whitespace-normalised dedup has work), any other id as "no" and its number.
     */
    private static final GrpoStage.Codec CODEC = new GrpoStage.Codec() {
        @Override
        public int[] prompt(String text) {
            return text.chars().map(c -> c % 64).toArray();
        }

        @Override
        public String decode(int[] completion) {
            StringBuilder text = new StringBuilder();
            for (int id : completion) {
                text.append(id < 16 ? "ok" + " ".repeat(id % 3) : "no" + id);
            }
            return text.toString();
        }

        @Override
        public int endOfTurn() {
            return -1;
        }
    };

    /** Accepts exactly the known answer "ok" (white space around it allowed). */
    private static final Reward IS_OK = new Reward() {
        @Override
        public String name() {
            return "is_ok";
        }

        @Override
        public double score(Completion completion, Map<String, Object> params) {
            return completion.text().strip().equals("ok") ? 1 : 0;
        }
    };

    private static final List<GrpoPrompt> PROMPTS = List.of(new GrpoPrompt("abc", "ok", "t:1"),
            new GrpoPrompt("xyz", "ok", "t:2"), new GrpoPrompt("hello", "ok", "t:3"),
            new GrpoPrompt("mno", "ok", "t:4"), new GrpoPrompt("qrs", "ok", "t:5"));

    @Test
    void keepsOnlyAcceptedCompletionsOncePerPromptAndWritesAnSftSetThatReadsBack(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> metrics = new ArrayList<>();
        RejectionResult result = stage(dir, "a.jsonl").run(dir.resolve("a"), (type, fields) -> {
            if (type.equals("metric")) {
                metrics.add(fields);
            }
        }, () -> false);

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(metrics).hasSize(5).extracting(m -> (Object) m.get("total")).containsOnly(24);
        int accepted = metrics.stream().mapToInt(m -> (int) m.get("accepted")).sum();
        int duplicates = metrics.stream().mapToInt(m -> (int) m.get("duplicates")).sum();
        // about a quarter of random one-token completions are "ok": several per prompt, so dedup must drop some
        assertThat(accepted).isBetween(5 * 24 / 8, 5 * 24 / 2);
        assertThat(duplicates).isPositive();
        assertThat(metrics).allSatisfy(m -> assertThat((int) m.get("kept"))
                .isEqualTo(Math.min(1, (int) m.get("accepted"))));
        assertThat((double) metrics.get(4).get("acceptance_rate")).isEqualTo(accepted / 120.0);

        SftReader.Result set = SftReader.read(dir.resolve("a.jsonl"), SftReader.OnError.STOP);
        assertThat(set.examples()).hasSize(result.kept()).hasSize(accepted - duplicates);
        assertThat(set.examples()).extracting(SftExample::response).allMatch(r -> r.strip().equals("ok"));
        assertThat(set.examples()).extracting(SftExample::prompt).doesNotHaveDuplicates()
                .isSubsetOf(PROMPTS.stream().map(GrpoPrompt::prompt).toList());
        assertThat(result.acceptanceRate()).isEqualTo(accepted / 120.0);
    }

    @Test
    void aCancelledRunResumesAtTheFirstPromptNotDoneAndWritesWhatAnUninterruptedRunWrites(@TempDir Path dir)
            throws Exception {
        stage(dir, "straight.jsonl").run(dir.resolve("straight"), EventSink.NONE, () -> false);

        List<Integer> sampled = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric")) {
                sampled.add((Integer) fields.get("step"));
            } else if (type.equals("status")) {
                messages.add(fields.get("state") + ": " + fields.get("message"));
            }
        };
        RejectionResult cancelled = stage(dir, "resumed.jsonl").run(dir.resolve("resumed"), events,
                () -> sampled.size() >= 2);
        assertThat(cancelled.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        assertThat(dir.resolve("resumed.jsonl")).doesNotExist();
        // a crash in the middle of appending the third prompt's line: the torn line is dropped and redone
        Files.writeString(dir.resolve("resumed/progress.jsonl"), "{\"index\":2,\"total\":24,\"acc",
                StandardOpenOption.APPEND);

        RejectionResult resumed = stage(dir, "resumed.jsonl").run(dir.resolve("resumed"), events, () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(sampled).containsExactly(1, 2, 3, 4, 5);
        assertThat(messages).anyMatch(m -> m.startsWith("running: resuming") && m.endsWith("from prompt 3"));
        assertThat(Files.readString(dir.resolve("resumed.jsonl")))
                .isEqualTo(Files.readString(dir.resolve("straight.jsonl"))).isNotEmpty();

        // done is done: a third run samples nothing
        sampled.clear();
        stage(dir, "resumed.jsonl").run(dir.resolve("resumed"), events, () -> false);
        assertThat(sampled).isEmpty();
    }

    @Test
    void progressMadeUnderOtherSettingsIsNotContinued(@TempDir Path dir) throws Exception {
        stage(dir, "a.jsonl").run(dir.resolve("a"), EventSink.NONE, () -> true);
        RejectionStage other = new RejectionStage(config(dir, "a.jsonl", 12), PROMPTS, CODEC, rewards(),
                new Acceptance(Map.of("is_ok", 1.0), null));
        assertThatThrownBy(() -> other.run(dir.resolve("a"), EventSink.NONE, () -> false))
                .hasMessageContaining("was written with other settings");
    }

    @Test
    void acceptanceNeedsEveryThresholdAndTheTotal() {
        Reward a = named("a");
        Reward b = named("b");
        WeightedRewards rewards = new WeightedRewards(List.of(new WeightedRewards.Term(a, 1.0, Map.of()),
                new WeightedRewards.Term(b, 0.5, Map.of())));
        Acceptance thresholds = new Acceptance(Map.of("a", 1.0), null);
        assertThat(thresholds.accepts(rewards, new double[] {1, -5})).isTrue();
        assertThat(thresholds.accepts(rewards, new double[] {0.9, 5})).isFalse();
        Acceptance both = new Acceptance(Map.of("a", 1.0), 1.25);
        assertThat(both.accepts(rewards, new double[] {1, 0.5})).isTrue();   // 1 + 0.5·0.5 = 1.25
        assertThat(both.accepts(rewards, new double[] {1, 0.4})).isFalse();
        assertThatThrownBy(() -> new Acceptance(Map.of(), null)).hasMessageContaining("minReward or thresholds");
    }

    @Test
    void dedupNormalisesWhiteSpaceAndKeepsPromptsApart() {
        SeenResponses seen = new SeenResponses();
        assertThat(seen.add("1+1", "<answer>2</answer>")).isTrue();
        assertThat(seen.add("1+1", "  <answer>2</answer>\n")).isFalse();
        assertThat(seen.add("1+1 ", "<answer>2</answer>")).isFalse();
        assertThat(seen.add("1+1", "<answer> 2</answer>")).isTrue();
        assertThat(seen.add("2+0", "<answer>2</answer>")).isTrue();
        assertThat(SeenResponses.normalise(" a \t b\n\nc ")).isEqualTo("a b c");
    }

    private static RejectionStage stage(Path dir, String out) throws IOException {
        return new RejectionStage(config(dir, out, 24), PROMPTS, CODEC, rewards(),
                new Acceptance(Map.of("is_ok", 1.0), null));
    }

    private static WeightedRewards rewards() {
        return new WeightedRewards(List.of(new WeightedRewards.Term(IS_OK, 1.0, Map.of())));
    }

    private static RejectionStage.Config config(Path dir, String out, int samples) throws IOException {
        Path init = dir.resolve("init").resolve(Checkpoints.FINAL);
        if (!Files.exists(init)) {
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeTransformer model = MoeTransformer.create(SPEC, manager, 4);
                Checkpoints.write(init.getParent(), Checkpoints.FINAL, model, null, new CheckpointMeta(
                        Checkpoints.FORMAT_VERSION, "init", 0, SPEC, null, Double.NaN, null, 4));
            }
        }
        return new RejectionStage.Config("reject-test", SPEC, 7, samples, 1.0, 1.0, 1, init, dir.resolve(out));
    }

    private static Reward named(String name) {
        return new Reward() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double score(Completion completion, Map<String, Object> params) {
                return 0;
            }
        };
    }
}
