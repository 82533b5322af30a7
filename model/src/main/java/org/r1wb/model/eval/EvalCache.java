package org.r1wb.model.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluation answers and results in the workspace's SQLite store (WAL). One row per request, keyed by
 * everything that produced the answer: the checkpoint's content digest, the task's digest (YAML and data),
 * the settings that change answers (tokenizer, precision, few-shot seed, …) and the request itself
 * (context, continuation, sampling parameters). A key that forgot the model would serve one model's
 * answers to another; this one cannot. Results per task are keyed the same way, without the request.
 *
 * <p>Answers are written a batch per transaction, so a killed run loses at most the batch in flight. When
 * the store cannot be written (locked by another program, disk full), the rows go to
 * {@code <store>.pending.jsonl} beside it and are imported on the next open: nothing computed is lost.
 */
public final class EvalCache implements AutoCloseable {

    /** Version of the tables below; {@link #open} migrates older stores. */
    public static final int SCHEMA_VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOOKUP_CHUNK = 500;

    /** A stored result row, for comparisons across checkpoints. */
    public record StoredResult(String checkpointDigest, String checkpointLabel, String task, String metric,
                               double value, double stderr, int samples, long createdMs) {
    }

    /** One answered request ready to store. */
    public record Answer(String key, Request request, Response response) {
    }

    private final Connection connection;
    private final Path file;

    private EvalCache(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    /** Opens the store at {@code dbFile}, waiting up to 5 s for another writer. */
    public static EvalCache open(Path dbFile) {
        return open(dbFile, Duration.ofSeconds(5));
    }

    /**
     * Opens (creating or migrating if needed) the store at {@code dbFile}; a corrupt, locked or too new file
     * gets a message that says so and what to do, and the file is left as it was.
     */
    public static EvalCache open(Path dbFile, Duration busyTimeout) {
        Connection connection = null;
        try {
            Files.createDirectories(dbFile.toAbsolutePath().getParent());
            connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout=" + busyTimeout.toMillis());
                statement.execute("PRAGMA journal_mode=WAL");
            }
            migrate(connection, dbFile);
            EvalCache cache = new EvalCache(connection, dbFile);
            cache.importPending();
            return cache;
        } catch (SQLException | IOException e) {
            closeQuietly(connection);
            String message = e.getMessage() == null ? "" : e.getMessage();
            String hint = message.contains("BUSY") || message.contains("locked")
                    ? "another program holds a lock on it; close it (or wait for it) and run again"
                    : message.contains("NOTADB") || message.contains("CORRUPT") || message.contains("malformed")
                    ? "it is not a readable SQLite file; move it aside (nothing is deleted) and run again to start a new one"
                    : "check the file's permissions and the disk";
            throw new EvalStoreException("cannot open the evaluation store " + dbFile + ": " + message + " (" + hint + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** Creates the tables, or brings a version-1 store to version 2 in one transaction. */
    private static void migrate(Connection connection, Path dbFile) throws SQLException {
        int version = version(connection);
        if (version == SCHEMA_VERSION) {
            return;
        }
        if (version > SCHEMA_VERSION) {
            throw new EvalStoreException("the evaluation store " + dbFile + " has schema version " + version
                    + ", newer than this r1wb reads (" + SCHEMA_VERSION + "); use a newer r1wb, or move the file aside");
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            if (version == 0) {
                statement.execute("CREATE TABLE IF NOT EXISTS eval_results ("
                        + "cache_key TEXT NOT NULL, checkpoint_digest TEXT NOT NULL, task TEXT NOT NULL, "
                        + "task_digest TEXT NOT NULL, settings TEXT NOT NULL, metric TEXT NOT NULL, "
                        + "value REAL NOT NULL, stderr REAL NOT NULL, samples INTEGER NOT NULL, "
                        + "created_ms INTEGER NOT NULL, checkpoint_label TEXT NOT NULL DEFAULT '', "
                        + "PRIMARY KEY (cache_key, metric))");
            } else {
                // version 1 → 2: results gain a label for comparison tables; answers get their own table
                statement.execute("ALTER TABLE eval_results ADD COLUMN checkpoint_label TEXT NOT NULL DEFAULT ''");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS eval_requests (request_key TEXT PRIMARY KEY, "
                    + "checkpoint_digest TEXT NOT NULL, task TEXT NOT NULL, task_digest TEXT NOT NULL, "
                    + "request TEXT NOT NULL, response TEXT NOT NULL, created_ms INTEGER NOT NULL)");
            statement.execute("CREATE INDEX IF NOT EXISTS eval_results_by_checkpoint ON eval_results (checkpoint_digest)");
            statement.execute("INSERT OR REPLACE INTO schema_version VALUES ('eval', " + SCHEMA_VERSION + ")");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The store's eval schema version; 0 for a new file. */
    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
            if (!tables.next()) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM schema_version WHERE component = 'eval'")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /** The cache key of one request: SHA-256 over checkpoint, task digest, settings and the request. */
    public static String requestKey(String checkpointDigest, String taskDigest, String settings, Request request) {
        return Digests.sha256("request/v2\n" + checkpointDigest + "\n" + taskDigest + "\n" + settings + "\n" + request.keyText());
    }

    /** The cache key of a task's results: SHA-256 over checkpoint, task digest and settings. */
    public static String resultKey(String checkpointDigest, String taskDigest, String settings) {
        return Digests.sha256("result/v2\n" + checkpointDigest + "\n" + taskDigest + "\n" + settings);
    }

    /** The cached responses among {@code keys}. */
    public Map<String, Response> responses(Collection<String> keys) {
        Map<String, Response> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        try {
            for (int start = 0; start < all.size(); start += LOOKUP_CHUNK) {
                List<String> chunk = all.subList(start, Math.min(all.size(), start + LOOKUP_CHUNK));
                String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT request_key, response FROM eval_requests WHERE request_key IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        query.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            found.put(rows.getString(1), Response.fromJson(rows.getString(2)));
                        }
                    }
                }
            }
            return found;
        } catch (SQLException e) {
            throw new EvalStoreException("cannot read the evaluation store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores a batch of answers in one transaction. If the store cannot be written they are appended to the
     * pending file instead and an {@link EvalStoreException} says where they are.
     */
    public void putAnswers(String checkpointDigest, String task, String taskDigest, List<Answer> answers) {
        long now = System.currentTimeMillis();
        List<ObjectNode> rows = new ArrayList<>();
        for (Answer answer : answers) {
            rows.add(JSON.createObjectNode().put("table", "eval_requests").put("request_key", answer.key())
                    .put("checkpoint_digest", checkpointDigest).put("task", task).put("task_digest", taskDigest)
                    .put("request", answer.request().keyText()).put("response", answer.response().toJson())
                    .put("created_ms", now));
        }
        write(rows);
    }

    /**
     * Copies the answers {@code other} holds for {@code checkpointDigest} into this store, in one transaction (or the
     * pending file, as {@link #putAnswers}); returns how many. Brings a remote node's answers home: scoring them here
     * stores the results under this store's keys without loading the model.
     */
    public int importAnswers(EvalCache other, String checkpointDigest) {
        List<ObjectNode> rows = new ArrayList<>();
        try (PreparedStatement query = other.connection.prepareStatement("SELECT request_key, checkpoint_digest, task, "
                + "task_digest, request, response, created_ms FROM eval_requests WHERE checkpoint_digest = ?")) {
            query.setString(1, checkpointDigest);
            try (ResultSet found = query.executeQuery()) {
                while (found.next()) {
                    rows.add(JSON.createObjectNode().put("table", "eval_requests").put("request_key", found.getString(1))
                            .put("checkpoint_digest", found.getString(2)).put("task", found.getString(3))
                            .put("task_digest", found.getString(4)).put("request", found.getString(5))
                            .put("response", found.getString(6)).put("created_ms", found.getLong(7)));
                }
            }
        } catch (SQLException e) {
            throw new EvalStoreException("cannot read the evaluation store " + other.file + ": " + e.getMessage(), e);
        }
        write(rows);
        return rows.size();
    }

    /** Cached results under {@code key}, empty when none. */
    public Optional<List<EvalResult>> results(String key) {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT task, metric, value, stderr, samples FROM eval_results WHERE cache_key = ? ORDER BY rowid")) {
            query.setString(1, key);
            List<EvalResult> results = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    results.add(new EvalResult(rows.getString(1), rows.getString(2), rows.getDouble(3),
                            rows.getDouble(4), rows.getInt(5), true));
                }
            }
            return results.isEmpty() ? Optional.empty() : Optional.of(results);
        } catch (SQLException e) {
            throw new EvalStoreException("cannot read the evaluation store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores a task's results under {@code key} in one transaction (or the pending file, see {@link #putAnswers}). */
    public void putResults(String key, String checkpointDigest, String checkpointLabel, String taskDigest,
                           String settings, List<EvalResult> results) {
        long now = System.currentTimeMillis();
        List<ObjectNode> rows = new ArrayList<>();
        for (EvalResult result : results) {
            rows.add(JSON.createObjectNode().put("table", "eval_results").put("cache_key", key)
                    .put("checkpoint_digest", checkpointDigest).put("task", result.task()).put("task_digest", taskDigest)
                    .put("settings", settings).put("metric", result.metric()).put("value", result.value())
                    .put("stderr", result.stderr()).put("samples", result.samples()).put("created_ms", now)
                    .put("checkpoint_label", checkpointLabel));
        }
        write(rows);
    }

    /** The newest result of each (task, metric) computed on {@code checkpointDigest}. */
    public List<StoredResult> resultsOf(String checkpointDigest) {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT checkpoint_digest, checkpoint_label, task, metric, value, stderr, samples, created_ms "
                        + "FROM eval_results r WHERE checkpoint_digest = ? AND created_ms = (SELECT MAX(created_ms) "
                        + "FROM eval_results s WHERE s.checkpoint_digest = r.checkpoint_digest AND s.task = r.task "
                        + "AND s.metric = r.metric) ORDER BY task, rowid")) {
            query.setString(1, checkpointDigest);
            List<StoredResult> results = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    results.add(new StoredResult(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getDouble(5), rows.getDouble(6), rows.getInt(7), rows.getLong(8)));
                }
            }
            return results;
        } catch (SQLException e) {
            throw new EvalStoreException("cannot read the evaluation store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Result rows stored (for tests and status lines). */
    public int size() {
        return count("eval_results");
    }

    /** Answered requests stored. */
    public int requestCount() {
        return count("eval_requests");
    }

    /** Where rows go when the store cannot be written. */
    public Path pendingFile() {
        return pendingFile(file);
    }

    private static Path pendingFile(Path db) {
        return db.resolveSibling(db.getFileName() + ".pending.jsonl");
    }

    private int count(String table) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (SQLException e) {
            throw new EvalStoreException("cannot read the evaluation store " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(List<ObjectNode> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            insert(rows);
        } catch (SQLException e) {
            spill(rows);
            String why = e.getMessage() != null && (e.getMessage().contains("BUSY") || e.getMessage().contains("locked"))
                    ? "it is locked by another program" : e.getMessage();
            throw new EvalStoreException("cannot write to the evaluation store " + file + " (" + why + "); the "
                    + rows.size() + " rows just computed are kept in " + pendingFile()
                    + " and will be stored by the next run that can write", e);
        }
    }

    private void insert(List<ObjectNode> rows) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement requests = connection.prepareStatement(
                "INSERT OR REPLACE INTO eval_requests VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement results = connection.prepareStatement(
                     "INSERT OR REPLACE INTO eval_results (cache_key, checkpoint_digest, task, task_digest, settings, "
                             + "metric, value, stderr, samples, created_ms, checkpoint_label) "
                             + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (JsonNode row : rows) {
                if (row.path("table").asText().equals("eval_requests")) {
                    requests.setString(1, row.get("request_key").asText());
                    requests.setString(2, row.get("checkpoint_digest").asText());
                    requests.setString(3, row.get("task").asText());
                    requests.setString(4, row.get("task_digest").asText());
                    requests.setString(5, row.get("request").asText());
                    requests.setString(6, row.get("response").asText());
                    requests.setLong(7, row.get("created_ms").asLong());
                    requests.addBatch();
                } else {
                    results.setString(1, row.get("cache_key").asText());
                    results.setString(2, row.get("checkpoint_digest").asText());
                    results.setString(3, row.get("task").asText());
                    results.setString(4, row.get("task_digest").asText());
                    results.setString(5, row.get("settings").asText());
                    results.setString(6, row.get("metric").asText());
                    results.setDouble(7, row.get("value").asDouble());
                    results.setDouble(8, row.get("stderr").asDouble());
                    results.setInt(9, row.get("samples").asInt());
                    results.setLong(10, row.get("created_ms").asLong());
                    results.setString(11, row.get("checkpoint_label").asText());
                    results.addBatch();
                }
            }
            requests.executeBatch();
            results.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the write failed already; its error is the one to report
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Appends rows to the pending file and forces them to disk. */
    private void spill(List<ObjectNode> rows) {
        try (Writer out = Files.newBufferedWriter(pendingFile(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (ObjectNode row : rows) {
                out.write(JSON.writeValueAsString(row));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the evaluation store " + file + " nor keep the rows in "
                    + pendingFile() + ": " + e.getMessage(), e);
        }
    }

    /** Stores rows a previous run could not write, then removes the pending file. */
    private void importPending() throws IOException, SQLException {
        Path pending = pendingFile();
        if (!Files.isRegularFile(pending)) {
            return;
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(pending, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add((ObjectNode) JSON.readTree(line));
            } catch (IOException | ClassCastException e) {
                // a line cut short by a crash while appending: the rows before it are whole and kept
                break;
            }
        }
        insert(rows);
        Files.delete(pending);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new EvalStoreException("cannot close the evaluation store " + file + ": " + e.getMessage(), e);
        }
    }
}
