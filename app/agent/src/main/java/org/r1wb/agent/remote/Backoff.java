package org.r1wb.agent.remote;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter between reconnects: many clients that lost the same node do not all
 * knock again at the same moment, and a node that is down for long is asked at most every {@code max}.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final Random random;
    private int failures;

    public Backoff(Duration initial, Duration max, Random random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The defaults for a workbench: from 0.5 s up to 30 s. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random());
    }

    /** The wait before the next attempt; each call after a failure doubles the ceiling. */
    public Duration next() {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0)));
    }

    /** After a connection that made progress: start small again. */
    public void reset() {
        failures = 0;
    }
}
