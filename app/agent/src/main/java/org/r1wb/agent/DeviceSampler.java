package org.r1wb.agent;

import org.r1wb.model.run.EventSink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes the node's GPU status ({@link GpuTelemetry}) into a run's own journal as {@code device} events: once when
 * it starts, then every {@code every} while the run goes. The agent that drives the run owns it, so the samples
 * reach the workbench through {@code attach} like every other event, locally and over SSH, with no other channel.
 *
 * <p>The trainer writes through {@link #sink()}: a final {@code status} stops the sampling before it is written, so
 * a run's final status is always its last event ({@code attach} stops reading there).
 */
public final class DeviceSampler implements AutoCloseable {

    /** The sampling period when the run does not set one. */
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(10);

    private final EventSink journal;
    private final Duration every;
    private final Supplier<List<Map<String, Object>>> probe;
    private final Object lock = new Object();
    private final Thread thread;
    private boolean stopped;

    /**
     * Takes the first sample now, then starts sampling every {@code every}; a zero or negative period takes only
     * the first.
     *
     * @param journal the run's journal
     * @param probe   the GPU query, {@link GpuTelemetry#local()} on a real node
     */
    public DeviceSampler(EventSink journal, Duration every, Supplier<List<Map<String, Object>>> probe) {
        this.journal = journal;
        this.every = every;
        this.probe = probe;
        sample();
        thread = new Thread(this::loop, "r1wb-device-sampler");
        thread.setDaemon(true);
        if (!every.isNegative() && !every.isZero()) {
            thread.start();
        }
    }

    /** The sink the trainer writes to: the journal, which stops this sampler before a run's final status. */
    public EventSink sink() {
        return (type, fields) -> {
            if ("status".equals(type) && RunFolder.isFinal(String.valueOf(fields.get("state")))) {
                synchronized (lock) {
                    stopped = true;
                    journal.emit(type, fields);
                }
                thread.interrupt();
            } else {
                journal.emit(type, fields);
            }
        };
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(Math.max(1, every.toMillis()));
                sample();
            }
        } catch (InterruptedException e) {
            // stopped: the run ended or the agent closes
        }
    }

    private void sample() {
        // nvidia-smi can take a second: ask outside the lock so the trainer never waits for it
        List<Map<String, Object>> devices = probe.get();
        synchronized (lock) {
            if (!stopped) {
                devices.forEach(device -> journal.emit("device", device));
            }
        }
    }

    /** Stops sampling and waits for a sample in progress, so nothing is written after this returns. */
    @Override
    public void close() throws InterruptedException {
        synchronized (lock) {
            stopped = true;
        }
        thread.interrupt();
        if (thread.isAlive()) {
            thread.join();
        }
    }
}
