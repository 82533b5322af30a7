package org.r1wb.model.eval;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** An evaluation that turns a model's answers into metrics. */
public interface EvalTask {

    /** Short stable name, e.g. {@code arithmetic-em}. */
    String name();

    /** Digest of everything about the task that changes its answers: data, prompt format, version. */
    String digest();

    /** Every setting that changes the answers (sampling, lengths, ...), as a flat map for the cache key. */
    Map<String, Object> settings();

    /** Computes the task's metrics; reports progress as (done, total) and stops early when cancelled. */
    List<EvalResult> run(EvalModel model, Progress progress, BooleanSupplier cancelled);

    /** Progress of a running task. */
    @FunctionalInterface
    interface Progress {
        void update(int done, int total);
    }
}
