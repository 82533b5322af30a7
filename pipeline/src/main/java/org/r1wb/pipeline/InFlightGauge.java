package org.r1wb.pipeline;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the documents in flight in a streamed chain: a document takes a permit when it enters and gives it back
 * when it is dropped or leaves the last stage. Counts the peak on its own (not from the semaphore), so a
 * document that skipped the gate shows up in it.
 */
final class InFlightGauge {

    private final int bound;
    private final Semaphore permits;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    InFlightGauge(int bound) {
        this.bound = bound;
        this.permits = new Semaphore(bound);
    }

    /** Admits one document if the bound allows it now. */
    boolean tryEnter() {
        if (!permits.tryAcquire()) {
            return false;
        }
        entered();
        return true;
    }

    /** Admits one document, waiting for room. */
    void enter() throws InterruptedException {
        permits.acquire();
        entered();
    }

    /** {@code n} documents left the chain. */
    void leave(int n) {
        current.addAndGet(-n);
        permits.release(n);
    }

    int bound() {
        return bound;
    }

    int peak() {
        return peak.get();
    }

    private void entered() {
        peak.accumulateAndGet(current.incrementAndGet(), Math::max);
    }
}
