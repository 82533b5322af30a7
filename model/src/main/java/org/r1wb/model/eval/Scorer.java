package org.r1wb.model.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.eval.metric.MetricValue;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.eval.metric.Sample;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.Normalization;
import org.r1wb.model.eval.task.TaskSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns a task's answered requests into samples, then metrics and per-document records. */
final class Scorer {

    /** Metrics and the browser's records. */
    record Scored(List<EvalResult> results, List<SampleRecord> samples) {
    }

    private Scorer() {
    }

    static Scored score(EvalTask task, int docs, List<Request> requests, List<Response> responses, Metrics metrics) {
        TaskSpec spec = task.spec();
        List<List<Integer>> byDoc = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            byDoc.add(new ArrayList<>());
        }
        for (int i = 0; i < requests.size(); i++) {
            byDoc.get(requests.get(i).doc()).add(i);
        }
        List<Sample> samples = new ArrayList<>();
        List<SampleRecord> records = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            JsonNode doc = task.docs().get(d);
            List<Integer> mine = byDoc.get(d);
            Request first = requests.get(mine.get(0));
            switch (spec.outputType()) {
                case GENERATE_UNTIL -> {
                    String target = Normalization.apply(spec.normalize(), spec.target().render(doc));
                    List<String> outputs = new ArrayList<>();
                    List<String> answers = new ArrayList<>();
                    boolean[] passed = new boolean[mine.size()];
                    for (int k = 0; k < mine.size(); k++) {
                        Response response = responses.get(mine.get(k));
                        outputs.add(response.text());
                        answers.add(Normalization.apply(spec.normalize(), spec.extract().extract(response.text())));
                        passed[k] = "PASS".equals(response.check());
                    }
                    samples.add(Sample.generated(List.of(target), outputs, answers, passed));
                    Boolean correct = spec.check() != null ? Boolean.valueOf(passed[0]) : Boolean.valueOf(target.equals(answers.get(0)));
                    records.add(new SampleRecord(d, first.context(), target, outputs.get(0), answers.get(0), correct));
                }
                case MULTIPLE_CHOICE -> {
                    double[] nll = new double[mine.size()];
                    int[] bytes = new int[mine.size()];
                    JsonNode choices = doc.get(spec.choices());
                    for (int c = 0; c < mine.size(); c++) {
                        nll[c] = responses.get(mine.get(c)).nll();
                        bytes[c] = choices.get(c).asText().getBytes(StandardCharsets.UTF_8).length;
                    }
                    int gold = doc.get(spec.gold()).asInt();
                    int chosen = 0;
                    for (int c = 1; c < nll.length; c++) {
                        chosen = nll[c] < nll[chosen] ? c : chosen;
                    }
                    samples.add(Sample.choice(nll, bytes, gold));
                    records.add(new SampleRecord(d, first.context(), choices.get(gold).asText(),
                            choices.get(chosen).asText(), choices.get(chosen).asText(), chosen == gold));
                }
                case LOGLIKELIHOOD, LOGLIKELIHOOD_ROLLING -> {
                    Response response = responses.get(mine.get(0));
                    String text = spec.outputType() == org.r1wb.model.eval.task.OutputType.LOGLIKELIHOOD
                            ? first.continuation() : first.context();
                    String trimmed = text.strip();
                    samples.add(Sample.rolling(response.nll(), response.tokens(),
                            text.getBytes(StandardCharsets.UTF_8).length, trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length));
                    records.add(new SampleRecord(d, first.context(), first.continuation(),
                            String.format(java.util.Locale.ROOT, "nll %.4f over %d tokens", response.nll(), response.tokens()),
                            null, null));
                }
                default -> throw new IllegalStateException("unknown output type " + spec.outputType());
            }
        }
        List<EvalResult> results = new ArrayList<>();
        for (TaskSpec.MetricSpec metricSpec : spec.metrics()) {
            Metric metric = metrics.find(metricSpec.name()).orElseThrow(() ->
                    new IllegalStateException("metric " + metricSpec.name() + " is no longer registered"));
            MetricValue value = metric.compute(samples, metricSpec.params());
            results.add(new EvalResult(task.name(), value.name(), value.value(), value.stderr(), docs, false));
        }
        return new Scored(results, records);
    }
}
