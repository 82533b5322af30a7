package org.r1wb.model.eval;

import org.r1wb.model.eval.code.JavaProgramChecker;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.run.EventSink;

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

/**
 * Runs tasks on one checkpoint through the per-request cache: a task whose results are stored is served
 * whole; otherwise only the requests missing from the store are answered, a batch at a time, each batch
 * stored before the next starts, so a cancelled or killed run resumes where it stopped. Every result is
 * emitted as an {@code eval} event.
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
     * One report per task, in order. {@code label} names the checkpoint in comparison tables. Throws
     * {@link CancellationException} when {@code cancelled} turns true (between batches; what was answered stays stored).
     */
    public List<TaskReport> run(EvalModel model, TextCodec codec, String label, List<EvalTask> tasks,
                                EvalSettings settings, BooleanSupplier cancelled) {
        List<TaskReport> reports = new ArrayList<>();
        Answerer answerer = new Answerer(model, codec, checker);
        for (EvalTask task : tasks) {
            TaskSettings resolved = TaskSettings.resolve(task, settings, codec.digest(), model.precision());
            String resultKey = EvalCache.resultKey(model.checkpointDigest(), task.digest(), resolved.resultKeyText());
            Optional<List<EvalResult>> stored = cache.results(resultKey);
            TaskReport report;
            if (stored.isPresent()) {
                listener.taskCached(task);
                report = new TaskReport(task.name(), stored.get(), 0, 0, 0, true, List.of());
            } else {
                report = compute(model, answerer, label, task, resolved, resultKey, settings.batchSize(), cancelled);
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

    private TaskReport compute(EvalModel model, Answerer answerer, String label, EvalTask task, TaskSettings resolved,
                               String resultKey, int batchSize, BooleanSupplier cancelled) {
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
            List<Response> responses = answerer.answer(batch);
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
}
