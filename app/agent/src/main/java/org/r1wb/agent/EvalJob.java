package org.r1wb.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalTask;
import org.r1wb.model.eval.ExactMatchTask;
import org.r1wb.model.eval.PerplexityTask;
import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.shards.TokenShards;
import org.r1wb.pipeline.shards.TokenSplit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The sample evaluation suite on one checkpoint: held-out perplexity on the shards' validation split and
 * exact match on the held-out arithmetic problems, every result cached in the workspace's SQLite store.
 */
final class EvalJob {

    /** The store's file name inside a workspace. */
    static final String STORE = "r1wb.db";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workspace;
    private final int perplexityWindows;
    private final int problems;
    private final int maxNewTokens;

    EvalJob(Path workspace, int perplexityWindows, int problems, int maxNewTokens) {
        this.workspace = workspace;
        this.perplexityWindows = perplexityWindows;
        this.problems = problems;
        this.maxNewTokens = maxNewTokens;
    }

    /** Evaluates {@code checkpoint} against the data in {@code shardsDir}, printing progress to {@code out}. */
    List<EvalResult> run(Path checkpoint, Path shardsDir, PrintWriter out, BooleanSupplier cancelled) throws IOException {
        TokenShards shards = TokenShards.open(shardsDir);
        BpeTokenizer tokenizer = shards.tokenizer();
        BpeTextCodec codec = new BpeTextCodec(tokenizer, shards.eotId(),
                org.r1wb.model.eval.Digests.sha256(Files.readString(shardsDir.resolve(shards.index().tokenizer()))));
        try (CheckpointModel model = CheckpointModel.open(checkpoint);
             EvalCache cache = EvalCache.open(workspace.resolve(STORE))) {
            List<EvalTask> tasks = new ArrayList<>();
            tasks.add(new PerplexityTask("heldout-perplexity",
                    windows(shards.split("val"), perplexityWindows, model.maxSequenceLength())));
            tasks.add(new ExactMatchTask("arithmetic-em", heldOutProblems(), codec, maxNewTokens));
            return new EvalRunner(cache).run(model, tasks, new ProgressLine(out), cancelled);
        }
    }

    private static int[][] windows(TokenSplit split, int count, int length) {
        int n = (int) Math.min(count, split.length() / length);
        if (n == 0) {
            throw new IllegalStateException("the validation split has " + split.length()
                    + " tokens, fewer than one window of " + length);
        }
        int[][] windows = new int[n][length];
        for (int i = 0; i < n; i++) {
            split.read((long) i * length, windows[i]);
        }
        return windows;
    }

    private List<ExactMatchTask.Problem> heldOutProblems() throws IOException {
        Path file = workspace.resolve(org.r1wb.resources.SampleWorkspace.HELDOUT);
        List<ExactMatchTask.Problem> list = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(file + ":" + lineNumber + ": not JSON: " + e.getMessage(), e);
            }
            if (!node.hasNonNull("question") || !node.hasNonNull("answer")) {
                throw new IOException(file + ":" + lineNumber + ": needs \"question\" and \"answer\"");
            }
            list.add(new ExactMatchTask.Problem(node.get("question").asText(), node.get("answer").asText()));
            if (list.size() == problems) {
                break;
            }
        }
        return list;
    }

    /** Prints one progress line per task and its results. */
    private static final class ProgressLine implements EvalRunner.Listener {
        private final PrintWriter out;
        private int lastPercent = -1;

        ProgressLine(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void taskStarted(EvalTask task, boolean cached) {
            lastPercent = -1;
            out.println("  eval " + task.name() + (cached ? ": served from the cache" : ": computing"));
            out.flush();
        }

        @Override
        public void progress(EvalTask task, int done, int total) {
            int percent = 100 * done / total;
            if (percent / 25 != lastPercent / 25) {
                out.printf("    %s %d/%d%n", task.name(), done, total);
                out.flush();
            }
            lastPercent = percent;
        }

        @Override
        public void taskFinished(EvalTask task, List<EvalResult> results) {
            for (EvalResult result : results) {
                out.printf("    %s %s = %.4f ± %.4f (n=%d)%n", task.name(), result.metric(), result.value(),
                        result.stderr(), result.samples());
            }
            out.flush();
        }
    }
}
