package org.r1wb.model.recipe.reward;

import java.util.List;
import java.util.Map;

/**
 * A partial-credit format reward: 0.25 for each of {@code <think>}, {@code </think>}, {@code <answer>},
 * {@code </answer>} that appears exactly once, so a model learning the format is rewarded before it gets all of it
 * right (as open-r1's tag-count reward does).
 */
public final class TagCountReward implements Reward {

    private static final List<String> TAGS = List.of("<think>", "</think>", "<answer>", "</answer>");

    @Override
    public String name() {
        return "tag_count";
    }

    @Override
    public double score(Completion completion, Map<String, Object> params) {
        double score = 0;
        for (String tag : TAGS) {
            if (count(completion.text(), tag) == 1) {
                score += 1.0 / TAGS.size();
            }
        }
        return score;
    }

    private static int count(String text, String tag) {
        int n = 0;
        for (int at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length())) {
            n++;
        }
        return n;
    }
}
