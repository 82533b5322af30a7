package org.r1wb.model.eval;

import org.r1wb.model.eval.code.JavaProgramChecker;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.run.EventSink;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs tasks on one checkpoint through the per-request cache: a task whose results are stored is served
 * whole (given an {@link EvalModelSource}, without loading the model); otherwise only the requests missing from
 * the store are answered, a batch at a time, each batch stored before the next starts, so a cancelled or killed
 * run resumes where it stopped. Every result is emitted as an {@code eval} event.
 */
public final class EvalRunner {

    private final EvalCache cache;
    private final Metrics metrics;
    private final EvalListener listener;
    private final EventSink events;
    private final JavaProgramChecker checker = new JavaProgramChecker();

    public EvalRunner(EvalCache cache, Metrics metrics, EvalListener listener, EventSink events) {
        this.cache = cache;
        this.metrics = metrics;
        this.listener = listener;
        this.events = events;
    }

    /**
     * One report per task, in order, on a model already loaded (the caller closes it). {@code label} names the
     * checkpoint in comparison tables. Throws {@link CancellationException} when {@code cancelled} turns true
     * (between batches; what was answered stays stored).
     */
    public List<TaskReport> run(EvalModel model, TextCodec codec, String label, List<EvalTask> tasks,
                                EvalSettings settings, BooleanSupplier cancelled) {
        try (LazyModel lazy = new LazyModel(model)) {
            return run(lazy, codec, label, tasks, task -> settings, cancelled);
        } catch (IOException e) {
            throw new IllegalStateException("a loaded model has nothing left to load", e);
        }
    }

    /**
     * Like {@link #run(EvalModel, TextCodec, String, List, EvalSettings, BooleanSupplier)}, but the store is read
     * first: when every task is cached the model is never loaded; otherwise it is loaded once, for the requests the
     * store lacks, and closed before this returns.
     *
     * @throws IOException when the model must be loaded and cannot be
     */
    public List<TaskReport> run(EvalModelSource source, TextCodec codec, String label, List<EvalTask> tasks,
                                EvalSettings settings, BooleanSupplier cancelled) throws IOException {
        return run(source, codec, label, tasks, task -> settings, cancelled);
    }

    /** Like the above with settings per task (the demo scores fewer perplexity documents than problems). */
    public List<TaskReport> run(EvalModelSource source, TextCodec codec, String label, List<EvalTask> tasks,
                                Function<EvalTask, EvalSettings> settingsOf, BooleanSupplier cancelled) throws IOException {
        try (LazyModel lazy = new LazyModel(source)) {
            return run(lazy, codec, label, tasks, settingsOf, cancelled);
        }
    }

    private List<TaskReport> run(LazyModel model, TextCodec codec, String label, List<EvalTask> tasks,
                                 Function<EvalTask, EvalSettings> settingsOf, BooleanSupplier cancelled) throws IOException {
        List<TaskReport> reports = new ArrayList<>();
        for (EvalTask task : tasks) {
            EvalSettings settings = settingsOf.apply(task);
            TaskSettings resolved = TaskSettings.resolve(task, settings, codec.digest(), model.precision());
            String resultKey = EvalCache.resultKey(model.checkpointDigest(), task.digest(), resolved.resultKeyText());
            Optional<List<EvalResult>> stored = cache.results(resultKey);
            TaskReport report;
            if (stored.isPresent()) {
                listener.taskCached(task);
                report = new TaskReport(task.name(), stored.get(), 0, 0, 0, true, List.of());
            } else {
                report = compute(model, codec, label, task, resolved, resultKey, settings.batchSize(), cancelled);
            }
            for (EvalResult result : report.results()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("task", result.task());
                fields.put("metric", result.metric());
                fields.put("value", result.value());
                fields.put("stderr", result.stderr());
                fields.put("samples", result.samples());
                fields.put("cached", result.cached());
                fields.put("checkpoint", model.checkpointDigest());
                fields.put("label", label);
                events.emit("eval", fields);
            }
            listener.taskFinished(task, report);
            reports.add(report);
        }
        return reports;
    }

    private TaskReport compute(LazyModel model, TextCodec codec, String label, EvalTask task, TaskSettings resolved,
                               String resultKey, int batchSize, BooleanSupplier cancelled) throws IOException {
        String checkpoint = model.checkpointDigest();
        List<Request> requests = RequestPlan.build(task, resolved);
        String settingsText = resolved.requestKeyText();
        String[] keys = new String[requests.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = EvalCache.requestKey(checkpoint, task.digest(), settingsText, requests.get(i));
        }
        Map<String, Response> answered = new java.util.HashMap<>(cache.responses(new HashSet<>(Arrays.asList(keys))));
        int fromCache = 0;
        List<Integer> missing = new ArrayList<>();
        java.util.Set<String> queued = new HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            if (answered.containsKey(keys[i])) {
                fromCache++;
            } else if (queued.add(keys[i])) {
                missing.add(i);
            }
        }
        listener.taskStarted(task, requests.size(), fromCache);
        long start = System.nanoTime();
        int computed = 0;
        for (int from = 0; from < missing.size(); from += batchSize) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("evaluation of " + task.name() + " cancelled after " + computed + " of "
                        + missing.size() + " new requests; those answered are stored and a rerun resumes from them");
            }
            List<Integer> indices = missing.subList(from, Math.min(missing.size(), from + batchSize));
            List<Request> batch = indices.stream().map(requests::get).toList();
            List<Response> responses = model.answerer(codec, checker).answer(batch);
            List<EvalCache.Answer> rows = new ArrayList<>();
            for (int b = 0; b < batch.size(); b++) {
                String key = keys[indices.get(b)];
                answered.put(key, responses.get(b));
                rows.add(new EvalCache.Answer(key, batch.get(b), responses.get(b)));
            }
            cache.putAnswers(checkpoint, task.name(), task.digest(), rows);
            computed += batch.size();
            double perRequest = (System.nanoTime() - start) / (double) computed;
            listener.progress(task, fromCache + computed, fromCache + missing.size(),
                    Duration.ofNanos((long) (perRequest * (missing.size() - computed))));
        }
        List<Response> responses = new ArrayList<>(keys.length);
        for (String key : keys) {
            responses.add(answered.get(key));
        }
        Scorer.Scored scored = Scorer.score(task, resolved.limit(), requests, responses, metrics);
        cache.putResults(resultKey, checkpoint, label, task.digest(), resolved.resultKeyText(), scored.results());
        return new TaskReport(task.name(), scored.results(), requests.size(), fromCache, computed, false, scored.samples());
    }

    /** The model of one {@code run}: loaded on the first request the store lacks, closed at the end if loaded here. */
    private static final class LazyModel implements AutoCloseable {
        private final EvalModelSource source;
        private final boolean owned;
        private EvalModel loaded;
        private Answerer answerer;

        LazyModel(EvalModel open) {
            this.source = new EvalModelSource() {
                @Override
                public String checkpointDigest() {
                    return open.checkpointDigest();
                }

                @Override
                public String precision() {
                    return open.precision();
                }

                @Override
                public EvalModel load() {
                    return open;
                }
            };
            this.owned = false;
            this.loaded = open;
        }

        LazyModel(EvalModelSource source) {
            this.source = source;
            this.owned = true;
        }

        String checkpointDigest() {
            return source.checkpointDigest();
        }

        String precision() {
            return source.precision();
        }

        Answerer answerer(TextCodec codec, JavaProgramChecker checker) throws IOException {
            if (loaded == null) {
                loaded = source.load();
                // the keys were computed from the source: a model that answers differently must not fill them
                if (!loaded.checkpointDigest().equals(source.checkpointDigest())
                        || !loaded.precision().equals(source.precision())) {
                    throw new IllegalStateException("the loaded model (" + loaded.checkpointDigest() + ", "
                            + loaded.precision() + ") is not the one its source named (" + source.checkpointDigest()
                            + ", " + source.precision() + ")");
                }
            }
            if (answerer == null) {
                answerer = new Answerer(loaded, codec, checker);
            }
            return answerer;
        }

        @Override
        public void close() {
            if (owned && loaded != null) {
                loaded.close();
            }
        }
    }
}
