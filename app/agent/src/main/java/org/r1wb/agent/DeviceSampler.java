package org.r1wb.agent;

import org.r1wb.model.run.EventSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Writes the node's GPU status ({@link GpuTelemetry}) into a run's own journal as {@code device} events: once when
 * it starts, then every {@code every} while the run goes. The agent that drives the run owns it, so the samples
 * reach the workbench through {@code attach} like every other event, locally and over SSH, with no other channel.
 *
 * <p>A node without a GPU still reports: its {@code no-gpu} event carries the cores this process may use and its
 * resident memory ({@code cores}, {@code rss_mib}), so a CPU run's footprint is watched like a GPU's.
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
                devices.forEach(device -> journal.emit("device", withProcess(device)));
            }
        }
    }

    /** A {@code no-gpu} payload with this process's cores and resident memory added; any other as it is. */
    static Map<String, Object> withProcess(Map<String, Object> device) {
        if (!"no-gpu".equals(device.get("state"))) {
            return device;
        }
        Map<String, Object> fields = new LinkedHashMap<>(device);
        fields.put("cores", Runtime.getRuntime().availableProcessors());
        OptionalDouble rss = residentMib();
        if (rss.isPresent()) {
            fields.put("rss_mib", rss.getAsDouble());
        }
        return fields;
    }

    /** This process's resident memory in MiB, from {@code /proc/self/status}; empty where there is no such file. */
    static OptionalDouble residentMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:	  812345 kB"
                    String kib = line.substring("VmRSS:".length()).replace("kB", "").strip();
                    return OptionalDouble.of(Math.round(Long.parseLong(kib) / 1024.0 * 10) / 10.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unexpected format: the figure is left out, not guessed
        }
        return OptionalDouble.empty();
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
