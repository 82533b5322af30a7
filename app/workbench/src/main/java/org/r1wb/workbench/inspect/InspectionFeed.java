package org.r1wb.workbench.inspect;

import org.r1wb.model.run.RunEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands events from any thread (a journal tail, an SSH attach) to an {@link InspectionModel} on the FX
 * thread without ever blocking either side: {@link #offer} only queues, and at most one drain is pending
 * on the FX thread at a time, so however fast events arrive they are applied in a few large batches —
 * a view that falls behind coalesces updates instead of queueing one hand-over per event.
 */
public final class InspectionFeed {

    /** Events applied per drain at most, so one drain never holds the FX thread long; the rest go next time. */
    static final int MAX_BATCH = 20_000;

    private final InspectionModel model;
    private final Executor fxThread;
    private final ConcurrentLinkedQueue<RunEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private volatile long drains;

    /**
     * @param model    the model fed
     * @param fxThread where drains run: {@code Platform::runLater} in the workbench
     */
    public InspectionFeed(InspectionModel model, Executor fxThread) {
        this.model = Objects.requireNonNull(model, "model");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
    }

    /** Queues {@code events} (in seq order); safe from any thread, returns at once. */
    public void offer(Collection<RunEvent> events) {
        queue.addAll(events);
        if (drainPending.compareAndSet(false, true)) {
            fxThread.execute(this::drain);
        }
    }

    /** How many drains have run: fewer than offers when updates were coalesced. */
    public long drains() {
        return drains;
    }

    private void drain() {
        drainPending.set(false);
        List<RunEvent> batch = new ArrayList<>();
        RunEvent event;
        while (batch.size() < MAX_BATCH && (event = queue.poll()) != null) {
            batch.add(event);
        }
        drains++;
        model.apply(batch);
        if (!queue.isEmpty() && drainPending.compareAndSet(false, true)) {
            fxThread.execute(this::drain);
        }
    }
}
