package org.r1wb.model.recipe.reward;

import java.util.Map;

/** 1 when the completion's last {@code <answer>} matches the target ({@link Answers#matches}), else 0. */
public final class AccuracyReward implements Reward {

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public double score(Completion completion, Map<String, Object> params) {
        return Answers.matches(Answers.extract(completion.text()), completion.target()) ? 1 : 0;
    }
}
