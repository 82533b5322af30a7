package org.r1wb.plugins.examples;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.eval.metric.MetricValue;
import org.r1wb.model.eval.metric.Sample;
import org.r1wb.model.eval.metric.Stats;
import org.r1wb.model.eval.task.OutputType;

/**
 * {@code contains_target}: share of documents whose first output contains a reference answer anywhere in it, a
 * lenient exact match for models that answer in a sentence.
 */
public final class ContainsTargetMetric implements Metric {

    @Override
    public String name() {
        return "contains_target";
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.GENERATE_UNTIL);
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        double[] hits = new double[samples.size()];
        for (int i = 0; i < hits.length; i++) {
            Sample sample = samples.get(i);
            String output = sample.outputs().isEmpty() ? "" : sample.outputs().get(0);
            hits[i] = sample.targets().stream().anyMatch(t -> !t.isEmpty() && output.contains(t)) ? 1 : 0;
        }
        return Stats.mean(name(), hits);
    }
}
