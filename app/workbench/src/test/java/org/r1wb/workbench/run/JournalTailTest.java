package org.r1wb.workbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class JournalTailTest {

    private static final Duration FAST = Duration.ofMillis(20);

    @TempDir
    Path dir;

    @Test
    void deliversAppendedEventsAndStopsWhenTheRunEnds() throws Exception {
        Path file = dir.resolve("run-1/events.jsonl");
        List<RunEvent> seen = new CopyOnWriteArrayList<>();
        AtomicInteger handOvers = new AtomicInteger();
        try (EventJournal journal = EventJournal.openForAppend(file, "run-1")) {
            journal.append("status", Map.of("state", "running"));
            JournalReader reader = new JournalReader(file);
            reader.readNew();
            JournalTail tail = JournalTail.start(reader, FAST, task -> {
                handOvers.incrementAndGet();
                task.run();
            }, batch -> seen.addAll(batch.events()));

            for (int step = 1; step <= 30; step++) {
                journal.append("metric", Map.of("step", step, "loss", 10.0 / step));
            }
            waitUntil(() -> seen.size() == 30);
            assertThat(tail.isRunning()).isTrue();

            journal.append("status", Map.of("state", "finished"));
            assertThat(tail.awaitStop(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(seen).extracting(RunEvent::seq).isEqualTo(
                LongStream.rangeClosed(2, 32).boxed().toList());
        assertThat(handOvers.get()).as("one hand-over per non-empty batch").isLessThanOrEqualTo(31);
    }

    @Test
    void closingStopsDelivery() throws Exception {
        Path file = dir.resolve("run-2/events.jsonl");
        List<RunEvent> seen = new CopyOnWriteArrayList<>();
        try (EventJournal journal = EventJournal.openForAppend(file, "run-2")) {
            JournalTail tail = JournalTail.start(new JournalReader(file), FAST, Runnable::run,
                    batch -> seen.addAll(batch.events()));
            journal.append("metric", Map.of("step", 1, "loss", 1.0));
            waitUntil(() -> seen.size() == 1);

            tail.close();
            assertThat(tail.awaitStop(Duration.ofSeconds(5))).isTrue();
            journal.append("metric", Map.of("step", 2, "loss", 0.5));
            Thread.sleep(FAST.toMillis() * 5);
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void stopsOnAMalformedLineAndReportsIt() throws Exception {
        Path file = dir.resolve("run-3/events.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "garbage\n");
        List<JournalBatch> batches = new CopyOnWriteArrayList<>();
        JournalTail tail = JournalTail.start(new JournalReader(file), FAST, Runnable::run, batches::add);

        assertThat(tail.awaitStop(Duration.ofSeconds(5))).isTrue();
        assertThat(batches).singleElement().satisfies(batch ->
                assertThat(batch.problem()).startsWith(file + ":1:"));
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
