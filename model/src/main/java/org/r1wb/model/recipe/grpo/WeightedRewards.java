package org.r1wb.model.recipe.grpo;

import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.model.recipe.reward.Rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A stage's reward functions with their weights and parameters; the reward of a completion is the weighted sum. */
public final class WeightedRewards {

    /** One configured reward. */
    public record Term(Reward reward, double weight, Map<String, Object> params) {
    }

    private final List<Term> terms;

    /** The rewards in order. */
    public WeightedRewards(List<Term> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("no rewards: name at least one, e.g. [{\"name\": \"accuracy\"}]");
        }
        this.terms = List.copyOf(terms);
    }

    /**
     * The recipe's {@code rewards} list ({@code [{name, weight, params}]}, weight 1 by default), already validated,
     * resolved against {@code rewards}.
     */
    @SuppressWarnings("unchecked")
    public static WeightedRewards of(List<?> config, Rewards rewards) {
        List<Term> terms = new ArrayList<>();
        for (Object entry : config) {
            Map<String, Object> map = (Map<String, Object>) entry;
            String name = (String) map.get("name");
            Reward reward = rewards.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown reward \"" + name + "\": use one of " + rewards.names()));
            double weight = map.get("weight") instanceof Number n ? n.doubleValue() : 1.0;
            Map<String, Object> params = map.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            terms.add(new Term(reward, weight, params));
        }
        return new WeightedRewards(terms);
    }

    /** The terms, in order. */
    public List<Term> terms() {
        return terms;
    }

    /** Each term's unweighted score of {@code completion}, in order. */
    public double[] scores(Completion completion) {
        double[] scores = new double[terms.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = terms.get(i).reward().score(completion, terms.get(i).params());
        }
        return scores;
    }

    /** The weighted sum of {@code scores}. */
    public double total(double[] scores) {
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            sum += terms.get(i).weight() * scores[i];
        }
        return sum;
    }
}
