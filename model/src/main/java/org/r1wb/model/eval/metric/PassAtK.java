package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * pass@k with the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
 * Code", eq. 1): with n samples of which c pass, {@code 1 − C(n−c, k) / C(n, k)}, averaged over problems.
 * The metric's name carries k: {@code pass@1}, {@code pass@10}.
 */
public final class PassAtK implements Metric {

    @Override
    public String name() {
        return "pass_at_k";
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.GENERATE_UNTIL);
    }

    @Override
    public Set<String> parameters() {
        return Set.of("k");
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        int k = ((Number) params.getOrDefault("k", 1)).intValue();
        double[] perProblem = new double[samples.size()];
        for (int i = 0; i < perProblem.length; i++) {
            boolean[] passed = samples.get(i).passed();
            int correct = 0;
            for (boolean p : passed) {
                correct += p ? 1 : 0;
            }
            perProblem[i] = estimate(passed.length, correct, k);
        }
        MetricValue mean = Stats.mean(name(), perProblem);
        return new MetricValue("pass@" + k, mean.value(), mean.stderr());
    }

    /**
     * The unbiased estimate for one problem, computed as the product {@code Π_{i=n−c+1..n} (1 − k/i)} that
     * equals {@code C(n−c, k) / C(n, k)} without overflowing. Fewer than k samples: undefined, so rejected.
     */
    public static double estimate(int n, int c, int k) {
        if (k < 1 || n < k || c < 0 || c > n) {
            throw new IllegalArgumentException("pass@k needs 1 ≤ k ≤ n and 0 ≤ c ≤ n; got n=" + n + " c=" + c + " k=" + k
                    + " (generate at least k samples per problem: generation.samples ≥ k)");
        }
        if (n - c < k) {
            return 1.0;
        }
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allFail *= 1.0 - (double) k / i;
        }
        return 1.0 - allFail;
    }
}
