package org.r1wb.model.recipe.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DAPO's soft overlong punishment (Yu et al., 2025): 0 up to {@code maxTokens − cacheTokens} generated tokens,
 * then falling linearly to −1 at {@code maxTokens}, and −1 beyond; so a policy is steered away from rambling
 * before its completions are cut off. Parameters {@code maxTokens} (default 512) and {@code cacheTokens}
 * (default a quarter of it).
 */
public final class LengthReward implements Reward {

    private static final double DEFAULT_MAX = 512;

    @Override
    public String name() {
        return "length";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("maxTokens", "cacheTokens");
    }

    @Override
    public List<String> check(Map<String, Object> params) {
        List<String> problems = new ArrayList<>();
        Params.requireNumber(params, "maxTokens", problems);
        Params.requireNumber(params, "cacheTokens", problems);
        if (problems.isEmpty()) {
            double max = Params.number(params, "maxTokens", DEFAULT_MAX);
            double cache = Params.number(params, "cacheTokens", max / 4);
            if (!(max >= 1)) {
                problems.add("maxTokens: must be ≥ 1 (is " + max + "); use the generation's maxNewTokens");
            } else if (!(cache > 0 && cache <= max)) {
                problems.add("cacheTokens: must be in (0, maxTokens] (is " + cache + "); use maxTokens / 4");
            }
        }
        return problems;
    }

    @Override
    public double score(Completion completion, Map<String, Object> params) {
        double max = Params.number(params, "maxTokens", DEFAULT_MAX);
        double cache = Params.number(params, "cacheTokens", max / 4);
        double free = max - cache;
        if (completion.tokens() <= free) {
            return 0;
        }
        return completion.tokens() > max ? -1 : (free - completion.tokens()) / cache;
    }
}
