package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Share of documents whose first output's extracted answer equals a reference (both normalised by the task). */
public final class ExactMatch implements Metric {

    @Override
    public String name() {
        return "exact_match";
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
            String answer = sample.answers().isEmpty() ? null : sample.answers().get(0);
            hits[i] = answer != null && sample.targets().contains(answer) ? 1 : 0;
        }
        return Stats.mean(name(), hits);
    }
}
