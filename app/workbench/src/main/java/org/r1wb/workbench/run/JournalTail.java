package org.r1wb.workbench.run;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Follows a live journal on a daemon thread: polls {@link JournalReader#readNew()} every period and
 * hands each non-empty batch to a consumer through {@code deliverOn} (the FX thread, via
 * {@code Platform::runLater}, one hand-over per batch).
 *
 * <p>Stops by itself once a batch ends the run (finished, failed, cancelled; or what the caller's {@code ends}
 * says) or reports a problem, and when {@link #close()}d, after which nothing more is delivered.
 */
public final class JournalTail implements AutoCloseable {

    private final JournalReader reader;
    private final Duration period;
    private final Executor deliverOn;
    private final Consumer<JournalBatch> consumer;
    private final Predicate<JournalBatch> ends;
    private final Thread thread;
    private volatile boolean closed;

    private JournalTail(JournalReader reader, Duration period, Executor deliverOn, Consumer<JournalBatch> consumer,
                        Predicate<JournalBatch> ends) {
        this.reader = reader;
        this.period = period;
        this.deliverOn = deliverOn;
        this.consumer = consumer;
        this.ends = ends;
        this.thread = new Thread(this::loop, "journal-tail " + reader.file().getParent().getFileName());
        this.thread.setDaemon(true);
    }

    /** Starts following {@code reader}'s journal from where the reader stands. */
    public static JournalTail start(JournalReader reader, Duration period, Executor deliverOn,
                                    Consumer<JournalBatch> consumer) {
        return start(reader, period, deliverOn, consumer, JournalBatch::endsRun);
    }

    /**
     * Starts following {@code reader}'s journal until a batch {@code ends} it: a recipe's journal, whose stages each
     * end with a final status, is followed with {@code batch -> false}, for as long as it is open.
     */
    public static JournalTail start(JournalReader reader, Duration period, Executor deliverOn,
                                    Consumer<JournalBatch> consumer, Predicate<JournalBatch> ends) {
        JournalTail tail = new JournalTail(reader, period, deliverOn, consumer, ends);
        tail.thread.start();
        return tail;
    }

    /** Whether the tail is still polling. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Waits for the polling thread to end, at most {@code timeout}; for tests and shutdown. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(period.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            JournalBatch batch;
            try {
                batch = reader.readNew();
            } catch (IOException e) {
                batch = new JournalBatch(List.of(), "cannot read " + reader.file() + ": " + e.getMessage());
            }
            if (!batch.isEmpty()) {
                JournalBatch delivered = batch;
                deliverOn.execute(() -> {
                    if (!closed) {
                        consumer.accept(delivered);
                    }
                });
            }
            if (ends.test(batch) || batch.problem() != null) {
                return;
            }
        }
    }
}
