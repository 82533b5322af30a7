package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Negative log-likelihood in bits per UTF-8 byte of text: unlike perplexity it compares models with
 * different tokenizers.
 */
public final class BitsPerByte implements Metric {

    @Override
    public String name() {
        return "bits_per_byte";
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.LOGLIKELIHOOD_ROLLING, OutputType.LOGLIKELIHOOD);
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        double[] nll = samples.stream().mapToDouble(Sample::nll).toArray();
        double[] bytes = samples.stream().mapToDouble(Sample::bytes).toArray();
        double[] perByte = Stats.ratio(nll, bytes);
        return new MetricValue(name(), perByte[0] / Math.log(2), perByte[1] / Math.log(2));
    }
}
