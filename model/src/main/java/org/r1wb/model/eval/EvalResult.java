package org.r1wb.model.eval;

/**
 * One metric of one task on one checkpoint: the value, its standard error, the number of samples behind
 * it, and whether it was computed now or served from the cache.
 */
public record EvalResult(String task, String metric, double value, double stderr, int samples, boolean cached) {

    /** The same result marked as served from the cache. */
    public EvalResult fromCache() {
        return new EvalResult(task, metric, value, stderr, samples, true);
    }
}
