package org.r1wb.model.eval;

import java.util.Set;

/** Whether a metric is better high (accuracy, BLEU) or low (perplexity); comparison tables pick the best by it. */
public enum MetricDirection {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER;

    private static final Set<String> LOWER = Set.of("perplexity", "bits_per_byte", "nll");

    /** The direction of the metric named {@code metric}. */
    public static MetricDirection of(String metric) {
        return LOWER.contains(metric) ? LOWER_IS_BETTER : HIGHER_IS_BETTER;
    }

    /** Whether {@code candidate} beats {@code incumbent}. */
    public boolean better(double candidate, double incumbent) {
        return this == LOWER_IS_BETTER ? candidate < incumbent : candidate > incumbent;
    }
}
