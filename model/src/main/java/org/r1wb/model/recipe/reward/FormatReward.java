package org.r1wb.model.recipe.reward;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * 1 when the completion is exactly one {@code <think>…</think>} followed by one {@code <answer>…</answer>} (white
 * space around them allowed, nothing else), else 0: R1's format reward.
 */
public final class FormatReward implements Reward {

    private static final Pattern FORMAT = Pattern.compile(
            "\\s*<think>((?:(?!</?think>|</?answer>).)*)</think>\\s*<answer>((?:(?!</?think>|</?answer>).)*)</answer>\\s*",
            Pattern.DOTALL);

    @Override
    public String name() {
        return "format";
    }

    @Override
    public double score(Completion completion, Map<String, Object> params) {
        return FORMAT.matcher(completion.text()).matches() ? 1 : 0;
    }
}
