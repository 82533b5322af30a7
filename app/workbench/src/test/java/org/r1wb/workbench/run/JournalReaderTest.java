package org.r1wb.workbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JournalReaderTest {

    @TempDir
    Path dir;

    @Test
    void returnsOnlyWhatWasAppendedSinceTheLastRead() throws IOException {
        Path file = dir.resolve("events.jsonl");
        JournalReader reader = new JournalReader(file);
        assertThat(reader.readNew().events()).isEmpty();

        try (EventJournal journal = EventJournal.openForAppend(file, "r")) {
            journal.append("metric", Map.of("step", 1, "loss", 5.0));
            journal.append("metric", Map.of("step", 2, "loss", 4.0));
            assertThat(reader.readNew().events()).extracting(RunEvent::seq).containsExactly(1L, 2L);
            assertThat(reader.readNew().events()).isEmpty();

            journal.append("status", Map.of("state", "finished"));
            JournalBatch batch = reader.readNew();
            assertThat(batch.events()).extracting(RunEvent::type).containsExactly("status");
            assertThat(batch.endsRun()).isTrue();
        }
        assertThat(reader.lastSeq()).isEqualTo(3);
        assertThat(reader.readNew().events())
                .as("the reader agrees with EventJournal.read on the whole file")
                .isEmpty();
        assertThat(EventJournal.read(file)).hasSize(3);
    }

    @Test
    void aLineWithoutItsNewlineWaitsForTheNextRead() throws IOException {
        Path file = dir.resolve("events.jsonl");
        String first = "{\"v\":1,\"seq\":1,\"run\":\"r\",\"t\":0,\"type\":\"metric\",\"step\":1,\"loss\":3.5}\n";
        String second = "{\"v\":1,\"seq\":2,\"run\":\"r\",\"t\":0,\"type\":\"metric\",\"step\":2,\"loss\":3.25}";
        Files.writeString(file, first + second.substring(0, 20));
        JournalReader reader = new JournalReader(file);

        assertThat(reader.readNew().events()).extracting(e -> e.number("loss")).containsExactly(3.5);

        Files.writeString(file, second.substring(20) + "\n", StandardOpenOption.APPEND);
        JournalBatch batch = reader.readNew();
        assertThat(batch.problem()).isNull();
        assertThat(batch.events()).extracting(e -> e.number("loss")).containsExactly(3.25);
    }

    @Test
    void aMalformedLineStopsReadingWithFileAndLine() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file,
                "{\"v\":1,\"seq\":1,\"run\":\"r\",\"t\":0,\"type\":\"status\",\"state\":\"running\"}\n"
                        + "\n"
                        + "this is not json\n"
                        + "{\"v\":1,\"seq\":2,\"run\":\"r\",\"t\":0,\"type\":\"status\",\"state\":\"finished\"}\n");
        JournalReader reader = new JournalReader(file);

        JournalBatch batch = reader.readNew();

        assertThat(batch.events()).extracting(RunEvent::seq).containsExactly(1L);
        assertThat(batch.problem()).isEqualTo(file + ":3: not a valid event: this is not json");
        assertThat(reader.readNew().events()).isEmpty();
    }

    @Test
    void aRewrittenJournalIsReadAgainWithoutRepeatingSeenEvents() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (EventJournal journal = EventJournal.openForAppend(file, "r")) {
            journal.append("metric", Map.of("step", 1, "loss", 5.0));
            journal.append("metric", Map.of("step", 2, "loss", 4.0));
        }
        JournalReader reader = new JournalReader(file);
        assertThat(reader.readNew().events()).hasSize(2);

        Files.delete(file);
        try (EventJournal journal = EventJournal.openForAppend(file, "r")) {
            journal.append("metric", Map.of("step", 1, "loss", 5.0));
        }
        assertThat(reader.readNew().events()).isEmpty();
        try (EventJournal journal = EventJournal.openForAppend(file, "r")) {
            journal.append("metric", Map.of("step", 2, "loss", 4.0));
            journal.append("metric", Map.of("step", 3, "loss", 3.0));
        }
        assertThat(reader.readNew().events()).extracting(RunEvent::seq).containsExactly(3L);
    }
}
