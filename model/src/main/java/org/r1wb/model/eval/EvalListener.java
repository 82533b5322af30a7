package org.r1wb.model.eval;

import org.r1wb.model.eval.task.EvalTask;

import java.time.Duration;

/** Told what an evaluation does, for progress lines and views; every method has a do-nothing default. */
public interface EvalListener {

    /** A task starts: {@code requests} to answer, {@code cached} of them already in the store. */
    default void taskStarted(EvalTask task, int requests, int cached) {
    }

    /** A task's results were in the store; nothing is computed. */
    default void taskCached(EvalTask task) {
    }

    /** {@code done} of {@code total} requests answered; {@code eta} is the estimate for the rest. */
    default void progress(EvalTask task, int done, int total, Duration eta) {
    }

    /** A task finished (computed or cached). */
    default void taskFinished(EvalTask task, TaskReport report) {
    }

    EvalListener NONE = new EvalListener() {
    };
}
