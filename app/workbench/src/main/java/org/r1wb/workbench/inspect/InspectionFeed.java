package org.r1wb.workbench.inspect;

import org.r1wb.model.run.RunEvent;

import java.time.Duration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands events from any thread (a journal tail, an SSH attach) to an {@link InspectionModel} on the FX
 * thread without ever blocking either side: {@link #offer} only queues; at most one drain is pending at a
 * time and drains are at least {@code interval} apart, so however fast events arrive the views redraw a
 * bounded number of times per second, each time with everything that arrived since — a view that falls
 * behind coalesces updates instead of queueing one hand-over per event.
 */
public final class InspectionFeed implements AutoCloseable {

    /** How often the views are updated at most by default: 10 times a second reads as live. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    /** Events applied per drain at most, so one drain never holds the FX thread long; the rest go next time. */
    static final int MAX_BATCH = 20_000;

    private final InspectionModel model;
    private final Executor fxThread;
    private final ConcurrentLinkedQueue<RunEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private volatile long lastDrainNanos;
    private volatile long drains;

    /**
     * @param model    the model fed
     * @param fxThread where drains run: {@code Platform::runLater} in the workbench
     * @param interval the least time between two drains
     */
    public InspectionFeed(InspectionModel model, Executor fxThread, Duration interval) {
        this.model = Objects.requireNonNull(model, "model");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
        this.intervalNanos = interval.toNanos();
        this.lastDrainNanos = System.nanoTime() - intervalNanos;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "inspection-feed");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A feed that drains at most every {@link #DEFAULT_INTERVAL}. */
    public InspectionFeed(InspectionModel model, Executor fxThread) {
        this(model, fxThread, DEFAULT_INTERVAL);
    }

    /** Queues {@code events} (in seq order); safe from any thread, returns at once. */
    public void offer(Collection<RunEvent> events) {
        queue.addAll(events);
        scheduleDrain();
    }

    /** Stops scheduling drains; events still queued are dropped with the feed. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** How many drains have run: fewer than offers when updates were coalesced. */
    public long drains() {
        return drains;
    }

    private void scheduleDrain() {
        if (drainPending.compareAndSet(false, true)) {
            long wait = lastDrainNanos + intervalNanos - System.nanoTime();
            try {
                timer.schedule(() -> fxThread.execute(this::drain), Math.max(0, wait), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                drainPending.set(false);
            }
        }
    }

    private void drain() {
        lastDrainNanos = System.nanoTime();
        drainPending.set(false);
        List<RunEvent> batch = new ArrayList<>();
        RunEvent event;
        while (batch.size() < MAX_BATCH && (event = queue.poll()) != null) {
            batch.add(event);
        }
        drains++;
        model.apply(batch);
        if (!queue.isEmpty()) {
            scheduleDrain();
        }
    }
}
