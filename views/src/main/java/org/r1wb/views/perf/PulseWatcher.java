package org.r1wb.views.perf;

import javafx.animation.AnimationTimer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches the FX thread's pulses: an animation timer that records the longest gap between two frames. While it
 * runs, JavaFX pulses continuously (about 60 per second), so a gap much longer than 17 ms means the FX thread
 * was busy with something else: the measure of a frozen UI.
 */
public final class PulseWatcher extends AnimationTimer {

    private static final long LONG_GAP_NANOS = 25_000_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long last;
    private long lastCpu;
    private long longestBusy;
    private long longestGap;
    private long frames;
    private final List<Double> longGaps = new ArrayList<>();

    @Override
    public void start() {
        last = 0;
        longestGap = 0;
        longestBusy = 0;
        lastCpu = 0;
        frames = 0;
        longGaps.clear();
        super.start();
    }

    @Override
    public void handle(long now) {
        // handle() runs on the FX thread: its CPU time between two pulses is the work the FX thread did
        long cpu = THREADS.getCurrentThreadCpuTime();
        if (lastCpu != 0) {
            longestBusy = Math.max(longestBusy, cpu - lastCpu);
        }
        lastCpu = cpu;
        if (last != 0) {
            longestGap = Math.max(longestGap, now - last);
            if (now - last > LONG_GAP_NANOS) {
                longGaps.add((now - last) / 1e6);
            }
        }
        last = now;
        frames++;
    }

    /** The longest gap between two pulses since {@link #start()}, in milliseconds. */
    public double longestGapMillis() {
        return longestGap / 1e6;
    }

    /**
     * The most CPU time the FX thread spent between two pulses since {@link #start()}, in milliseconds: the time it
     * was busy, as opposed to waiting for a CPU on a loaded machine (which {@link #longestGapMillis()} also counts).
     */
    public double longestBusyMillis() {
        return longestBusy / 1e6;
    }

    /** Every gap over 25 ms since {@link #start()}, in milliseconds, in the order they happened (for reports). */
    public List<Double> longGaps() {
        return List.copyOf(longGaps);
    }

    /** Pulses seen since {@link #start()}. */
    public long frames() {
        return frames;
    }
}
