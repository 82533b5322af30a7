package org.r1wb.model.recipe.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Penalises repeated word n-grams: {@code (1 − distinct / total) · maxPenalty}, so a completion that never repeats
 * an n-gram scores 0 and one that repeats the same n-gram throughout nears {@code maxPenalty} (as open-r1's
 * repetition penalty does). Parameters {@code ngram} (default 3) and {@code maxPenalty} (default −1, ≤ 0).
 */
public final class RepetitionPenalty implements Reward {

    @Override
    public String name() {
        return "repetition";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("ngram", "maxPenalty");
    }

    @Override
    public List<String> check(Map<String, Object> params) {
        List<String> problems = new ArrayList<>();
        Params.requireNumber(params, "ngram", problems);
        Params.requireNumber(params, "maxPenalty", problems);
        if (problems.isEmpty()) {
            double n = Params.number(params, "ngram", 3);
            if (n < 1 || n != Math.rint(n)) {
                problems.add("ngram: must be a whole number ≥ 1 (is " + n + "); use 3");
            }
            if (Params.number(params, "maxPenalty", -1) > 0) {
                problems.add("maxPenalty: must be ≤ 0 (a penalty); use -1");
            }
        }
        return problems;
    }

    @Override
    public double score(Completion completion, Map<String, Object> params) {
        int n = (int) Params.number(params, "ngram", 3);
        double maxPenalty = Params.number(params, "maxPenalty", -1);
        String stripped = completion.text().strip();
        String[] words = stripped.isEmpty() ? new String[0] : stripped.toLowerCase().split("\\s+");
        int total = words.length - n + 1;
        if (total <= 0) {
            return 0;
        }
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < total; i++) {
            distinct.add(String.join(" ", Arrays.copyOfRange(words, i, i + n)));
        }
        return (1 - (double) distinct.size() / total) * maxPenalty;
    }
}
