package org.r1wb.model.recipe.reward;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule-based reward for reinforcement learning (GRPO) and rejection sampling: a number for one completion,
 * computed by rules rather than by a learned model, so it cannot be gamed the way a reward model can (R1, §2.2.2).
 * Found through {@link java.util.ServiceLoader}: a plugin adds one by listing its class in
 * {@code META-INF/services/org.r1wb.model.recipe.reward.Reward}. Implementations are stateless; their settings come
 * with each call.
 */
public interface Reward {

    /** The name a recipe uses, e.g. {@code accuracy}. */
    String name();

    /** The parameter names this reward understands (anything else in a recipe is an error). */
    default Set<String> parameters() {
        return Set.of();
    }

    /** What is wrong with {@code params}, one message each, naming the parameter and a fix; empty when fine. */
    default List<String> check(Map<String, Object> params) {
        return List.of();
    }

    /** The reward of {@code completion} under {@code params} (already checked). */
    double score(Completion completion, Map<String, Object> params);
}
