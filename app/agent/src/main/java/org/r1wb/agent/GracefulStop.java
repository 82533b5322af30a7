package org.r1wb.agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns SIGTERM (kill, {@code scancel}, a Slurm preemption, a Ctrl-C) into a request to stop at the next step: the
 * JVM halts once its shutdown hooks return, so the hook raises the flag and then holds the JVM until the work has
 * checkpointed and said so ({@link #close}), for at most the grace period (Slurm's default KillWait before SIGKILL
 * is 30 s).
 */
final class GracefulStop implements AutoCloseable {

    static final Duration GRACE = Duration.ofSeconds(25);

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    GracefulStop(String name) {
        hook = new Thread(() -> {
            requested.set(true);
            try {
                done.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a stop was asked for. */
    boolean requested() {
        return requested.get();
    }

    /** The work is over (checkpointed, status written): lets a waiting shutdown go on. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook is waiting for the countDown above
        }
    }
}
