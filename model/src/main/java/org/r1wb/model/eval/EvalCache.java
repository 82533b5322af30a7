package org.r1wb.model.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluation results in the workspace's SQLite store, keyed by everything that produced them: the
 * checkpoint's content digest, the task's digest and every setting that changes an answer. A key that
 * forgot the model would serve one model's answers to another; this one cannot.
 */
public final class EvalCache implements AutoCloseable {

    /** Schema version of the tables below; bumped with a migration when they change. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;

    private EvalCache(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the store at {@code dbFile}; a corrupt or locked file gets a clear message. */
    public static EvalCache open(Path dbFile) {
        try {
            Files.createDirectories(dbFile.toAbsolutePath().getParent());
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS eval_results ("
                        + "cache_key TEXT NOT NULL, checkpoint_digest TEXT NOT NULL, task TEXT NOT NULL, "
                        + "task_digest TEXT NOT NULL, settings TEXT NOT NULL, metric TEXT NOT NULL, "
                        + "value REAL NOT NULL, stderr REAL NOT NULL, samples INTEGER NOT NULL, "
                        + "created_ms INTEGER NOT NULL, PRIMARY KEY (cache_key, metric))");
                statement.execute("INSERT OR IGNORE INTO schema_version VALUES ('eval', " + SCHEMA_VERSION + ")");
            }
            return new EvalCache(connection);
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot open the evaluation store " + dbFile + ": " + e.getMessage()
                    + " (is it locked by another program, or not an SQLite file?)", e);
        }
    }

    /** The cache key: SHA-256 over checkpoint digest, task digest and the settings in key order. */
    public static String key(String checkpointDigest, EvalTask task) {
        try {
            String settings = JSON.writeValueAsString(new TreeMap<>(task.settings()));
            return Digests.sha256(checkpointDigest + "\n" + task.name() + "\n" + task.digest() + "\n" + settings);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task settings are not serialisable: " + task.settings(), e);
        }
    }

    /** The cached results under {@code key}, empty when none. */
    public Optional<List<EvalResult>> get(String key) {
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
            throw new IllegalStateException("cannot read the evaluation store: " + e.getMessage(), e);
        }
    }

    /** Stores all of a task's results under {@code key} in one transaction. */
    public void put(String key, String checkpointDigest, EvalTask task, List<EvalResult> results) {
        try {
            String settings = JSON.writeValueAsString(new TreeMap<String, Object>(task.settings()));
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT OR REPLACE INTO eval_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EvalResult result : results) {
                    insert.setString(1, key);
                    insert.setString(2, checkpointDigest);
                    insert.setString(3, task.name());
                    insert.setString(4, task.digest());
                    insert.setString(5, settings);
                    insert.setString(6, result.metric());
                    insert.setDouble(7, result.value());
                    insert.setDouble(8, result.stderr());
                    insert.setInt(9, result.samples());
                    insert.setLong(10, System.currentTimeMillis());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot write to the evaluation store: " + e.getMessage(), e);
        }
    }

    /** How many result rows the store holds (for tests and the status line). */
    public int size() {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM eval_results")) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the evaluation store: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the evaluation store: " + e.getMessage(), e);
        }
    }
}
