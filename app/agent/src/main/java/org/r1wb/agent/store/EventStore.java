package org.r1wb.agent.store;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
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

/**
 * Run events in the workspace's SQLite store ({@code r1wb.db}, WAL), keyed by (run, seq).
 *
 * <p>Storing is idempotent: an event whose (run, seq) is already there is skipped, so replaying a journal or
 * a re-attached stream twice changes nothing. A stored event that differs from the one offered under the same
 * key means the journal was rewritten; that is refused rather than silently kept.
 */
public final class EventStore implements AutoCloseable {

    /** The store's file name inside a workspace, shared with the evaluation cache. */
    public static final String FILE = "r1wb.db";

    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement stored;

    private EventStore(Connection connection) throws SQLException {
        this.connection = connection;
        this.insert = connection.prepareStatement(
                "INSERT OR IGNORE INTO run_events (run, seq, t, type, json) VALUES (?, ?, ?, ?, ?)");
        this.stored = connection.prepareStatement("SELECT json FROM run_events WHERE run = ? AND seq = ?");
    }

    /** Opens (or creates) the store in {@code file}. */
    public static EventStore open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                // WAL with NORMAL is durable across application crashes; only an OS crash can lose the last commits,
                // and those events are still in the node's journal to fetch again.
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS run_events (run TEXT NOT NULL, seq INTEGER NOT NULL, "
                        + "t INTEGER NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (run, seq)) WITHOUT ROWID");
            }
            return new EventStore(connection);
        } catch (SQLException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IOException("cannot open the event store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores one event; false when (run, seq) was already stored with the same content. */
    public synchronized boolean append(RunEvent event) throws IOException {
        String json = EventJournal.toJson(event);
        try {
            insert.setString(1, event.run());
            insert.setLong(2, event.seq());
            insert.setLong(3, event.t());
            insert.setString(4, event.type());
            insert.setString(5, json);
            if (insert.executeUpdate() == 1) {
                return true;
            }
            stored.setString(1, event.run());
            stored.setLong(2, event.seq());
            try (ResultSet row = stored.executeQuery()) {
                if (row.next() && !row.getString(1).equals(json)) {
                    throw new IOException("run " + event.run() + " seq " + event.seq() + " is already stored with other "
                            + "content: the run's journal was rewritten; stored " + row.getString(1) + ", offered " + json);
                }
            }
            return false;
        } catch (SQLException e) {
            throw new IOException("cannot store event " + event.seq() + " of run " + event.run() + ": " + e.getMessage(), e);
        }
    }

    /** Stores every event of a journal file in one transaction; returns how many were new. */
    public synchronized int importJournal(Path journal) throws IOException {
        List<RunEvent> events = EventJournal.read(journal);
        try {
            connection.setAutoCommit(false);
            int added = 0;
            for (RunEvent event : events) {
                added += append(event) ? 1 : 0;
            }
            connection.commit();
            return added;
        } catch (IOException | RuntimeException e) {
            rollback(e);
            throw e;
        } catch (SQLException e) {
            rollback(e);
            throw new IOException("cannot import " + journal + ": " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is broken; the next statement reports it
            }
        }
    }

    /** The highest stored seq of {@code run}, 0 when none: where a follower resumes. */
    public synchronized long lastSeq(String run) throws IOException {
        return single("SELECT COALESCE(MAX(seq), 0) FROM run_events WHERE run = ?", run);
    }

    /** How many events of {@code run} are stored. */
    public synchronized long count(String run) throws IOException {
        return single("SELECT COUNT(*) FROM run_events WHERE run = ?", run);
    }

    /** The stored events of {@code run} after {@code afterSeq}, in seq order. */
    public synchronized List<RunEvent> events(String run, long afterSeq) throws IOException {
        List<RunEvent> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT json FROM run_events WHERE run = ? AND seq > ? ORDER BY seq")) {
            query.setString(1, run);
            query.setLong(2, afterSeq);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(EventJournal.parse(rows.getString(1)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IOException("cannot read the events of run " + run + ": " + e.getMessage(), e);
        }
    }

    private long single(String sql, String run) throws IOException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, run);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IOException("cannot query the events of run " + run + ": " + e.getMessage(), e);
        }
    }

    private void rollback(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            insert.close();
            stored.close();
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the event store: " + e.getMessage(), e);
        }
    }
}
