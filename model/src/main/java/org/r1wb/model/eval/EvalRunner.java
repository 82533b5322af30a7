package org.r1wb.model.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Runs tasks against one checkpoint, serving each from the cache when its key is there. */
public final class EvalRunner {

    /** Told when a task starts, progresses and ends. */
    public interface Listener {
        void taskStarted(EvalTask task, boolean cached);

        void progress(EvalTask task, int done, int total);

        void taskFinished(EvalTask task, List<EvalResult> results);
    }

    private final EvalCache cache;

    public EvalRunner(EvalCache cache) {
        this.cache = cache;
    }

    /** Every task's results, in task order; computed ones are stored before the next task starts. */
    public List<EvalResult> run(EvalModel model, List<EvalTask> tasks, Listener listener, BooleanSupplier cancelled) {
        List<EvalResult> all = new ArrayList<>();
        for (EvalTask task : tasks) {
            String key = EvalCache.key(model.checkpointDigest(), task);
            List<EvalResult> results = cache.get(key).orElse(null);
            listener.taskStarted(task, results != null);
            if (results == null) {
                results = task.run(model, (done, total) -> listener.progress(task, done, total), cancelled);
                cache.put(key, model.checkpointDigest(), task, results);
            }
            listener.taskFinished(task, results);
            all.addAll(results);
        }
        return all;
    }
}
