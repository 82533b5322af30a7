package org.r1wb.model.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventJournalTest {

    @Test
    void seqIsGapFreeAcrossReopensAndPayloadSurvivesTheRoundTrip(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs/r1/events.jsonl");
        try (EventJournal journal = EventJournal.openForAppend(file, "r1")) {
            journal.emit("status", Map.of("state", "running"));
            journal.emit("metric", Map.of("step", 1, "loss", 5.25));
        }
        try (EventJournal journal = EventJournal.openForAppend(file, "r1")) {
            assertThat(journal.lastSeq()).isEqualTo(2);
            journal.emit("routing", Map.of("layer", 1, "load", List.of(0.5, 0.25, 0.25)));
        }

        List<RunEvent> events = EventJournal.read(file);

        assertThat(events).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(RunEvent::type).containsExactly("status", "metric", "routing");
        assertThat(events.get(1).number("loss")).isEqualTo(5.25);
        assertThat(events.get(2).fields().get("load")).isEqualTo(List.of(0.5, 0.25, 0.25));
        assertThat(events).allMatch(e -> e.run().equals("r1") && e.v() == RunEvent.VERSION && e.t() > 0);
        assertThat(EventJournal.readAfter(file, 2)).extracting(RunEvent::seq).containsExactly(3L);
    }

    @Test
    void aTornLastLineIsIgnoredAndOverwrittenOnReopen(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (EventJournal journal = EventJournal.openForAppend(file, "r")) {
            journal.emit("metric", Map.of("step", 1));
        }
        Files.write(file, "{\"v\":1,\"seq\":2,\"run\":\"r\",\"t\":1,\"ty".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        assertThat(EventJournal.read(file)).hasSize(1);
        try (EventJournal journal = EventJournal.openForAppend(file, "r")) {
            journal.emit("metric", Map.of("step", 2));
        }

        assertThat(EventJournal.read(file)).extracting(RunEvent::seq).containsExactly(1L, 2L);
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void aMissingJournalReadsAsEmpty(@TempDir Path dir) throws IOException {
        assertThat(EventJournal.read(dir.resolve("nope.jsonl"))).isEmpty();
    }
}
