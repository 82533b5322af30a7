package org.r1wb.plugins.examples;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.reward.Reward;

/** {@code keyword}: 1 when the completion's text contains the {@code keyword} parameter, else 0. */
public final class KeywordReward implements Reward {

    static final String KEYWORD = "keyword";

    @Override
    public String name() {
        return "keyword";
    }

    @Override
    public Set<String> parameters() {
        return Set.of(KEYWORD);
    }

    @Override
    public List<String> check(Map<String, Object> params) {
        Object keyword = params.get(KEYWORD);
        if (!(keyword instanceof String text) || text.isEmpty()) {
            return List.of("keyword: must be a non-empty string, was " + keyword
                    + "; write e.g. keyword: \"</answer>\"");
        }
        return List.of();
    }

    @Override
    public double score(Completion completion, Map<String, Object> params) {
        return completion.text().contains((String) params.get(KEYWORD)) ? 1 : 0;
    }
}
