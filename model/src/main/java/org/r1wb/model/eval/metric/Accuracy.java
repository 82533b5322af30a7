package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Multiple choice: the share of questions where the most likely choice is the right one. */
public class Accuracy implements Metric {

    @Override
    public String name() {
        return "acc";
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.MULTIPLE_CHOICE);
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        double[] hits = new double[samples.size()];
        for (int i = 0; i < hits.length; i++) {
            Sample sample = samples.get(i);
            hits[i] = pick(sample) == sample.gold() ? 1 : 0;
        }
        return Stats.mean(name(), hits);
    }

    /** The chosen index: the lowest score, first on ties. */
    int pick(Sample sample) {
        int best = 0;
        for (int c = 1; c < sample.choiceNll().length; c++) {
            if (score(sample, c) < score(sample, best)) {
                best = c;
            }
        }
        return best;
    }

    /** Lower is more likely: the choice's negative log-likelihood. */
    double score(Sample sample, int choice) {
        return sample.choiceNll()[choice];
    }
}
