package org.r1wb.resources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Four-way multiple-choice versions of arithmetic problems: the answer and three near misses (off by
 * one or two, or the operands' other result), shuffled, with the right one's index.
 */
public final class ArithmeticChoices {

    /** One question: the problem, four distinct choices, and the index of the right one. */
    public record Question(String question, List<String> choices, int label) {
    }

    private ArithmeticChoices() {
    }

    /** A question for each problem, distractors and order drawn from {@code seed}. */
    public static List<Question> of(List<ArithmeticProblems.Problem> problems, long seed) {
        Random random = new Random(seed);
        List<Question> questions = new ArrayList<>(problems.size());
        for (ArithmeticProblems.Problem problem : problems) {
            int answer = problem.answer();
            Set<Integer> options = new LinkedHashSet<>();
            options.add(answer);
            int[] offsets = {-2, -1, 1, 2, 3, 10};
            while (options.size() < 4) {
                int candidate = answer + offsets[random.nextInt(offsets.length)];
                if (candidate >= 0) {
                    options.add(candidate);
                }
            }
            List<String> choices = new ArrayList<>();
            options.forEach(o -> choices.add(Integer.toString(o)));
            java.util.Collections.shuffle(choices, random);
            questions.add(new Question(problem.question(), choices, choices.indexOf(Integer.toString(answer))));
        }
        return questions;
    }
}
