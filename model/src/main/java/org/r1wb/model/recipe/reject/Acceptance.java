package org.r1wb.model.recipe.reject;

import org.r1wb.model.recipe.grpo.WeightedRewards;

import java.util.List;
import java.util.Map;

/**
 * When rejection sampling keeps a completion: every reward named in {@code thresholds} scores at least its
 * threshold, and the weighted total reaches {@code minReward} when that is set. At least one of the two is set.
 *
 * @param thresholds reward name → the lowest unweighted score kept (e.g. {@code {"accuracy": 1, "format": 1}})
 * @param minReward  the lowest weighted total kept, or {@code null} for no bound on the total
 */
public record Acceptance(Map<String, Double> thresholds, Double minReward) {

    /** Checks that something is bounded. */
    public Acceptance {
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        if (thresholds.isEmpty() && minReward == null) {
            throw new IllegalArgumentException("rejection sampling needs a bound: set minReward or thresholds");
        }
    }

    /** Whether a completion with these {@code scores} (one per term of {@code rewards}, in order) is kept. */
    public boolean accepts(WeightedRewards rewards, double[] scores) {
        List<WeightedRewards.Term> terms = rewards.terms();
        for (int i = 0; i < terms.size(); i++) {
            Double min = thresholds.get(terms.get(i).reward().name());
            if (min != null && scores[i] < min) {
                return false;
            }
        }
        return minReward == null || rewards.total(scores) >= minReward;
    }
}
