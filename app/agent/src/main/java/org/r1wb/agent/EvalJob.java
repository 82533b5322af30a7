package org.r1wb.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.model.eval.BpeTextCodec;
import org.r1wb.model.eval.CheckpointSource;
import org.r1wb.model.eval.Digests;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalListener;
import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalSettings;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.TextCodec;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.OutputType;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.eval.task.TaskRegistry;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.pipeline.shards.TokenShards;
import org.r1wb.resources.BundledEvals;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Evaluates a checkpoint on a suite of the workspace's {@code evals/} through the SQLite cache. The demo
 * runs suite {@code demo} (held-out perplexity and arithmetic exact match); {@code r1wb eval} any suite.
 */
final class EvalJob {

    /** The store's file name inside a workspace. */
    static final String STORE = "r1wb.db";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workspace;
    private final int perplexityDocs;
    private final int problems;
    private final int maxNewTokens;

    /**
     * The demo's evaluation: {@code perplexityDocs} held-out documents for perplexity, {@code problems}
     * documents for every other task, at most {@code maxNewTokens} generated tokens.
     */
    EvalJob(Path workspace, int perplexityDocs, int problems, int maxNewTokens) {
        this.workspace = workspace;
        this.perplexityDocs = perplexityDocs;
        this.problems = problems;
        this.maxNewTokens = maxNewTokens;
    }

    /** Suite {@code demo} on {@code checkpoint}, tokenized as the shards in {@code shardsDir}; progress to {@code out}. */
    List<EvalResult> run(Path checkpoint, Path shardsDir, PrintWriter out, BooleanSupplier cancelled) throws IOException {
        installBundled(workspace);
        List<EvalTask> tasks = registry(workspace).suite("demo");
        EvalSettings settings = EvalSettings.defaults().withMaxTokens(maxNewTokens);
        EvalSettings perplexity = settings.withLimit(perplexityDocs);
        EvalSettings problem = settings.withLimit(problems);
        List<EvalResult> results = new ArrayList<>();
        CheckpointSource source = CheckpointSource.of(checkpoint);
        try (EvalCache cache = EvalCache.open(workspace.resolve(STORE))) {
            EvalRunner runner = new EvalRunner(cache, TaskLoader.builtIn().metrics(), new ProgressLines(out), EventSink.NONE);
            TextCodec codec = BpeTextCodec.ofShards(shardsDir);
            String label = label(checkpoint, source.meta());
            // one call, so the model is loaded at most once for the whole suite
            for (TaskReport report : runner.run(source, codec, label, tasks,
                    task -> task.spec().outputType() == OutputType.LOGLIKELIHOOD_ROLLING ? perplexity : problem, cancelled)) {
                results.addAll(report.results());
            }
        }
        return results;
    }

    /** The workspace's task registry, with the built-in metrics. */
    static TaskRegistry registry(Path workspace) {
        return TaskRegistry.scan(workspace.resolve("evals"), TaskLoader.builtIn());
    }

    /** The workspace's task registry, whose tasks may name any of {@code metrics} (plugins' among them). */
    static TaskRegistry registry(Path workspace, Metrics metrics) {
        return TaskRegistry.scan(workspace.resolve("evals"), new TaskLoader(metrics, TaskLoader.class.getClassLoader()));
    }

    /** Adds the bundled tasks a sample workspace lacks (older workspaces predate some of them). */
    static void installBundled(Path workspace) throws IOException {
        Set<String> trainQuestions = new HashSet<>();
        Path training = workspace.resolve("data/raw/arithmetic.jsonl");
        if (Files.isRegularFile(training)) {
            for (String line : Files.readAllLines(training)) {
                if (!line.isBlank()) {
                    trainQuestions.add(JSON.readTree(line).path("text").asText().split("\n")[0]);
                }
            }
        }
        BundledEvals.write(workspace.resolve("evals"), trainQuestions);
    }

    /** How comparison tables name a checkpoint: run id and step. */
    static String label(Path checkpoint, CheckpointMeta meta) {
        return meta.runId() + "@" + meta.step() + " (" + checkpoint.getFileName() + ")";
    }

    /** Prints a line per task, progress with ETA at each quarter, and the results. */
    static final class ProgressLines implements EvalListener {
        private final PrintWriter out;
        private int lastQuarter = -1;

        ProgressLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void taskCached(EvalTask task) {
            out.println(EvalProgress.cachedLine(task.name()));
            out.flush();
        }

        @Override
        public void taskStarted(EvalTask task, int requests, int cached) {
            lastQuarter = -1;
            out.println(EvalProgress.startedLine(task.name(), requests, cached));
            out.flush();
        }

        @Override
        public void progress(EvalTask task, int done, int total, Duration eta) {
            int quarter = 4 * done / Math.max(1, total);
            if (quarter != lastQuarter) {
                lastQuarter = quarter;
                out.println(EvalProgress.progressLine(task.name(), done, total, Format.duration(eta)));
                out.flush();
            }
        }

        @Override
        public void taskFinished(EvalTask task, TaskReport report) {
            for (EvalResult result : report.results()) {
                out.printf("    %s %s = %.4f ± %.4f (n=%d)%n", task.name(), result.metric(), result.value(),
                        result.stderr(), result.samples());
            }
            out.flush();
        }
    }
}
