package org.r1wb.workbench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalListener;
import org.r1wb.model.eval.EvalModel;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalSettings;
import org.r1wb.model.eval.SampleRecord;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.TextCodec;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.eval.task.TaskRegistry;
import org.r1wb.model.run.EventSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rebuilds the per-document records of a stored evaluation (prompt, target, output, extracted answer,
 * correct) without loading the model: the store keeps every answer, so the engine's own runner scores them
 * again, with the settings the results were computed with, against a scratch copy of the store that holds
 * the answers but not the results. A task whose file changed since is refused, since its answers no longer
 * fit it.
 *
 * <p>The engine keeps no per-document records in the store (only {@code TaskReport.samples()} of a run that
 * computed); this replay is the reader's side of that, until the store offers them itself.
 */
public final class SampleReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleReplay() {
    }

    /** The records of {@code task} on {@code checkpoint}, as its newest stored result was computed. */
    public static List<SampleRecord> samples(Path workspace, Path store, EvaluatedCheckpoint checkpoint, String task)
            throws IOException {
        Stored stored = newestResult(store, checkpoint.digest(), task);
        EvalTask loaded = TaskRegistry.scan(workspace.resolve("evals"), TaskLoader.builtIn()).task(task);
        if (!loaded.digest().equals(stored.taskDigest())) {
            throw new IllegalStateException("evals/" + loaded.file().getFileName() + " (or its data) changed since "
                    + checkpoint.label() + " was evaluated on it; run 'r1wb eval " + checkpoint.run() + " --suite "
                    + task + "' again to see its samples");
        }
        JsonNode settings = JSON.readTree(stored.settings());
        EvalSettings overrides = new EvalSettings(settings.get("limit").asInt(), settings.get("maxTokens").asInt(),
                settings.get("fewshotSeed").asLong(), settings.get("temperature").asDouble(),
                settings.get("samples").asInt(), settings.get("seed").asLong(), EvalSettings.DEFAULT_BATCH);
        Path scratch = Files.createTempDirectory("r1wb-samples");
        try {
            Path copy = scratch.resolve("answers.db");
            EvalCache.open(copy).close();
            copyAnswers(store, copy, checkpoint.digest(), stored.taskDigest());
            try (EvalCache answers = EvalCache.open(copy)) {
                List<TaskReport> reports = new EvalRunner(answers, TaskLoader.builtIn().metrics(), EvalListener.NONE,
                        EventSink.NONE).run(new StoredAnswers(checkpoint.digest(), settings.get("precision").asText()),
                        new StoredTokenizer(settings.get("tokenizer").asText()), checkpoint.label(), List.of(loaded),
                        overrides, () -> false);
                return reports.get(0).samples();
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private record Stored(String taskDigest, String settings) {
    }

    private static Stored newestResult(Path store, String checkpoint, String task) throws IOException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store.toAbsolutePath());
             PreparedStatement query = connection.prepareStatement("SELECT task_digest, settings FROM eval_results "
                     + "WHERE checkpoint_digest = ? AND task = ? ORDER BY created_ms DESC, rowid DESC LIMIT 1")) {
            query.setString(1, checkpoint);
            query.setString(2, task);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalArgumentException("no stored result of " + task + " for checkpoint " + checkpoint);
                }
                return new Stored(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the evaluation store " + store + ": " + e.getMessage(), e);
        }
    }

    private static void copyAnswers(Path store, Path copy, String checkpoint, String taskDigest) throws IOException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath())) {
            try (PreparedStatement attach = connection.prepareStatement("ATTACH DATABASE ? AS stored")) {
                attach.setString(1, store.toAbsolutePath().toString());
                attach.execute();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO main.eval_requests "
                    + "SELECT * FROM stored.eval_requests WHERE checkpoint_digest = ? AND task_digest = ?")) {
                insert.setString(1, checkpoint);
                insert.setString(2, taskDigest);
                insert.executeUpdate();
            }
            try (Statement detach = connection.createStatement()) {
                detach.execute("DETACH DATABASE stored");
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the answers in the evaluation store " + store + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Stands in for the checkpoint: every answer is in the store, so it is never asked anything. */
    private record StoredAnswers(String checkpointDigest, String precision) implements EvalModel {

        @Override
        public int maxSequenceLength() {
            throw missing();
        }

        @Override
        public double[] nll(int[][] windows) {
            throw missing();
        }

        @Override
        public int[] greedy(int[] prompt, int maxNewTokens, int... stopIds) {
            throw missing();
        }

        @Override
        public void close() {
        }
    }

    /** Stands in for the tokenizer: only its digest takes part in the cache keys. */
    private record StoredTokenizer(String digest) implements TextCodec {

        @Override
        public int[] encode(String text) {
            throw missing();
        }

        @Override
        public String decode(int[] ids) {
            throw missing();
        }

        @Override
        public int endOfTextId() {
            throw missing();
        }
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("an answer of this evaluation is missing from the store (was it cut short?);"
                + " run 'r1wb eval' on the checkpoint again to complete it");
    }
}
