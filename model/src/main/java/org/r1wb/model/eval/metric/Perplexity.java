package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code exp} of the mean negative log-likelihood per token over all documents; stderr by the delta method. */
public final class Perplexity implements Metric {

    @Override
    public String name() {
        return "perplexity";
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.LOGLIKELIHOOD_ROLLING, OutputType.LOGLIKELIHOOD);
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        double[] nll = samples.stream().mapToDouble(Sample::nll).toArray();
        double[] tokens = samples.stream().mapToDouble(Sample::tokens).toArray();
        double[] perToken = Stats.ratio(nll, tokens);
        double perplexity = Math.exp(perToken[0]);
        return new MetricValue(name(), perplexity, perplexity * perToken[1]);
    }
}
