package org.r1wb.workbench.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalListener;
import org.r1wb.model.eval.EvalModel;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalSettings;
import org.r1wb.model.eval.MetricDirection;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.eval.task.TaskRegistry;
import org.r1wb.model.run.EventSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample browser's records come from the store, not the model: the engine's runner, given a model that
 * answers by rule, computes records; {@link SampleReplay} must rebuild exactly those from the stored answers
 * (with the run's overrides: limit, few-shot seed, token cap), and must refuse a task that changed since.
 * {@link ResultsTable} reads the same store. No native code: fast.
 */
class SampleReplayTest {

    @TempDir
    Path ws;

    /** Answers "{a+b}" when {@code right}, else "{a+b+1}"; scores a continuation by its length. */
    private record RuleModel(String checkpointDigest, boolean right) implements EvalModel {
        @Override
        public int maxSequenceLength() {
            return 512;
        }

        @Override
        public double[] nll(int[][] windows) {
            double[] out = new double[windows.length];
            for (int w = 0; w < windows.length; w++) {
                out[w] = windows[w].length * 0.7 + (windows[w][windows[w].length - 1] % 7) * 0.3;
            }
            return out;
        }

        @Override
        public int[] greedy(int[] prompt, int maxNewTokens, int... stopIds) {
            String text = new String(prompt, 0, prompt.length);
            String question = text.substring(text.lastIndexOf('\n') + 1);
            int a = question.charAt(0) - '0';
            int b = question.charAt(2) - '0';
            // the wrong model is right on sums of an even first term, so its records mix right and wrong
            int answer = right || a % 2 == 0 ? a + b : a + b + 1;
            return (answer + "\n").chars().limit(maxNewTokens).toArray();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void replayRebuildsTheEnginesRecordsAndTheTableReadsTheStore() throws IOException {
        Path evals = Files.createDirectories(ws.resolve("evals"));
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            docs.append(String.format("{\"q\": \"%d+%d=\", \"a\": \"%d\"}%n", i, (i * 3) % 5, i + (i * 3) % 5));
        }
        Files.writeString(evals.resolve("sums.jsonl"), docs);
        Files.writeString(evals.resolve("sums.yaml"), """
                task: sums
                data: {file: sums.jsonl}
                output_type: generate_until
                prompt: "{{q}}"
                target: "{{a}}"
                fewshot: {count: 2, seed: 1}
                generation: {until: ["\\n"], max_tokens: 4}
                normalize: [strip]
                metrics: [exact_match]
                """);
        EvalTask task = TaskRegistry.scan(evals, TaskLoader.builtIn()).task("sums");
        EvalSettings settings = EvalSettings.defaults().withLimit(7).withFewshotSeed(42L).withMaxTokens(3);
        EvaluatedCheckpoint good = new EvaluatedCheckpoint("r", 10, ws, "digest-good");
        EvaluatedCheckpoint poor = new EvaluatedCheckpoint("r", 20, ws, "digest-poor");
        TaskReport goodReport;
        TaskReport poorReport;
        Path store = ws.resolve(EvaluationsViewModel.STORE);
        try (EvalCache cache = EvalCache.open(store)) {
            EvalRunner runner = new EvalRunner(cache, TaskLoader.builtIn().metrics(), EvalListener.NONE, EventSink.NONE);
            goodReport = runner.run(new RuleModel(good.digest(), true), EvalFixture.CHARS, good.label(), List.of(task),
                    settings, () -> false).get(0);
            poorReport = runner.run(new RuleModel(poor.digest(), false), EvalFixture.CHARS, poor.label(), List.of(task),
                    settings, () -> false).get(0);

            ResultsTable table = ResultsTable.read(cache, List.of(good, poor, new EvaluatedCheckpoint("r", 30, ws, "never")));
            assertThat(table.columns()).containsExactly(good, poor);
            ComparisonTable.Row row = table.row("sums", "exact_match").orElseThrow();
            assertThat(row.cell(0).orElseThrow().value()).isEqualTo(goodReport.results().get(0).value()).isEqualTo(1.0);
            assertThat(row.cell(1).orElseThrow().value()).isEqualTo(poorReport.results().get(0).value()).isLessThan(1.0);
            assertThat(row.best()).containsExactly(0);
        }

        assertThat(poorReport.samples()).hasSize(7).anyMatch(s -> Boolean.TRUE.equals(s.correct()))
                .anyMatch(s -> Boolean.FALSE.equals(s.correct()));
        assertThat(poorReport.samples().get(0).prompt()).as("few-shot context in the prompt").contains("\n");
        assertThat(SampleReplay.samples(ws, store, poor, "sums")).containsExactlyElementsOf(poorReport.samples());
        assertThat(SampleReplay.samples(ws, store, good, "sums")).containsExactlyElementsOf(goodReport.samples());
        assertThat(SampleFilter.WRONG.accepts(poorReport.samples().stream()
                .filter(s -> Boolean.FALSE.equals(s.correct())).findFirst().orElseThrow(), "")).isTrue();

        // new data: the stored answers no longer belong to this task
        Files.writeString(evals.resolve("sums.jsonl"), docs.toString().replace("\"0+0=\"", "\"0+1=\""));
        assertThatThrownBy(() -> SampleReplay.samples(ws, store, poor, "sums"))
                .hasMessageContaining("sums.yaml").hasMessageContaining("changed since r@20")
                .hasMessageContaining("r1wb eval r --suite sums");
    }

    @Test
    void tiesAreAllBestAndLowerIsBetterForPerplexity() throws IOException {
        Path evals = Files.createDirectories(ws.resolve("evals"));
        Files.writeString(evals.resolve("prose.jsonl"), "{\"text\": \"abc abc abc\"}\n{\"text\": \"abd\"}\n");
        Files.writeString(evals.resolve("prose.yaml"), "task: prose\ndata: {file: prose.jsonl}\n"
                + "output_type: loglikelihood_rolling\nmetrics: [perplexity]\n");
        Files.writeString(evals.resolve("same.jsonl"), "{\"q\": \"1+1=\", \"a\": \"2\"}\n");
        Files.writeString(evals.resolve("same.yaml"), "task: same\ndata: {file: same.jsonl}\noutput_type: generate_until\n"
                + "prompt: \"{{q}}\"\ntarget: \"{{a}}\"\ngeneration: {until: [\"\\n\"], max_tokens: 3}\nmetrics: [exact_match]\n");
        List<EvalTask> tasks = TaskRegistry.scan(evals, TaskLoader.builtIn()).suite("prose");
        List<EvalTask> same = TaskRegistry.scan(evals, TaskLoader.builtIn()).suite("same");
        EvaluatedCheckpoint a = new EvaluatedCheckpoint("r", 1, ws, "a");
        EvaluatedCheckpoint b = new EvaluatedCheckpoint("r", 2, ws, "b");
        try (EvalCache cache = EvalCache.open(ws.resolve(EvaluationsViewModel.STORE))) {
            EvalRunner runner = new EvalRunner(cache, TaskLoader.builtIn().metrics(), EvalListener.NONE, EventSink.NONE);
            // b scores every window higher (worse): its perplexity is the higher one
            double[] perplexity = new double[2];
            for (EvaluatedCheckpoint checkpoint : List.of(a, b)) {
                double scale = checkpoint == a ? 1.0 : 1.5;
                EvalModel model = new RuleModel(checkpoint.digest(), true);
                perplexity[checkpoint == a ? 0 : 1] = runner.run(new ScaledModel(checkpoint.digest(), scale),
                        EvalFixture.CHARS, checkpoint.label(), tasks, EvalSettings.defaults(), () -> false)
                        .get(0).results().get(0).value();
                runner.run(model, EvalFixture.CHARS, checkpoint.label(), same, EvalSettings.defaults(), () -> false);
            }
            ResultsTable table = ResultsTable.read(cache, List.of(a, b));
            assertThat(perplexity[0]).isLessThan(perplexity[1]);
            assertThat(table.row("prose", "perplexity").orElseThrow().best()).containsExactly(0);
            assertThat(table.row("prose", "perplexity").orElseThrow().direction()).isEqualTo(MetricDirection.LOWER_IS_BETTER);
            assertThat(table.row("same", "exact_match").orElseThrow().best()).as("equal everywhere: all best")
                    .containsExactly(0, 1);
        }
    }

    /** Scores windows like {@link RuleModel}, times {@code scale}. */
    private record ScaledModel(String checkpointDigest, double scale) implements EvalModel {
        @Override
        public int maxSequenceLength() {
            return 512;
        }

        @Override
        public double[] nll(int[][] windows) {
            double[] out = new RuleModel(checkpointDigest, true).nll(windows);
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
            return out;
        }

        @Override
        public int[] greedy(int[] prompt, int maxNewTokens, int... stopIds) {
            throw new UnsupportedOperationException("scores only");
        }

        @Override
        public void close() {
        }
    }
}
