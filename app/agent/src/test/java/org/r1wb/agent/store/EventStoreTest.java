package org.r1wb.agent.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQLite event store on a real file: WAL, idempotent by (run, seq), refusing a rewritten journal. */
class EventStoreTest {

    @Test
    void replayingAJournalTwiceChangesNothing(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("events.jsonl");
        try (EventJournal out = EventJournal.openForAppend(journal, "run-a")) {
            out.emit("status", Map.of("state", "running"));
            for (int step = 1; step <= 40; step++) {
                out.emit("metric", Map.of("step", step, "loss", 6.0 / step));
            }
            out.emit("status", Map.of("state", "finished", "message", "done"));
        }
        Files.writeString(journal, "{\"v\":1,\"seq\":43,\"run\":\"run-a\",\"t\":1,\"ty", StandardOpenOption.APPEND);
        List<RunEvent> written = EventJournal.read(journal);
        Path db = dir.resolve(EventStore.FILE);

        try (EventStore store = EventStore.open(db)) {
            assertThat(store.importJournal(journal)).isEqualTo(written.size());
            assertThat(store.importJournal(journal)).as("second replay").isZero();
        }
        try (EventStore store = EventStore.open(db)) {
            assertThat(store.importJournal(journal)).as("replay after reopening").isZero();
            assertThat(store.count("run-a")).isEqualTo(written.size());
            assertThat(store.lastSeq("run-a")).isEqualTo(written.size());
            assertThat(store.lastSeq("other")).isZero();
            List<RunEvent> stored = store.events("run-a", 0);
            assertThat(stored).extracting(RunEvent::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, written.size()).boxed().toList());
            assertThat(stored).extracting(EventJournal::toJson)
                    .containsExactlyElementsOf(written.stream().map(EventJournal::toJson).toList());
            assertThat(store.events("run-a", 40)).extracting(RunEvent::seq).containsExactly(41L, 42L);
        }
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet mode = sql.createStatement().executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aRewrittenJournalIsRefusedNotMerged(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("a.jsonl");
        Path second = dir.resolve("b.jsonl");
        try (EventJournal a = EventJournal.openForAppend(first, "run-b");
             EventJournal b = EventJournal.openForAppend(second, "run-b")) {
            a.emit("metric", Map.of("step", 1, "loss", 5.0));
            b.emit("metric", Map.of("step", 1, "loss", 4.0));
        }
        try (EventStore store = EventStore.open(dir.resolve(EventStore.FILE))) {
            store.importJournal(first);
            assertThatThrownBy(() -> store.importJournal(second)).isInstanceOf(IOException.class)
                    .hasMessageContaining("run-b seq 1 is already stored with other content");
            assertThat(store.events("run-b", 0).get(0).number("loss")).isEqualTo(5.0);
        }
    }
}
