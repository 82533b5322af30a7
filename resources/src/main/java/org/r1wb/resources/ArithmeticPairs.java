package org.r1wb.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Preference pairs for DPO built from {@link ArithmeticProblems}: the chosen response works the problem out
 * correctly, the rejected one makes a slip of 1 to 3 in the result and answers that, in the recipe's reasoning
 * format ({@code <think>work</think><answer>n</answer>}). Both responses share everything but the result, so the
 * preference is about the arithmetic alone.
 */
public final class ArithmeticPairs {

    /** One pair: the question, the correct response and the wrong one. */
    public record Pair(String prompt, String chosen, String rejected) {
    }

    private ArithmeticPairs() {
    }

    /** One pair per problem, the slips drawn from {@code seed}. */
    public static List<Pair> of(List<ArithmeticProblems.Problem> problems, long seed) {
        Random random = new Random(seed);
        List<Pair> pairs = new ArrayList<>(problems.size());
        for (ArithmeticProblems.Problem problem : problems) {
            int slip = 1 + random.nextInt(3);
            // answers are never negative: a slip below zero goes up instead
            int wrong = random.nextBoolean() || problem.answer() - slip < 0 ? problem.answer() + slip
                    : problem.answer() - slip;
            String work = problem.work();
            String wrongWork = work.substring(0, work.lastIndexOf('=') + 1) + " " + wrong;
            pairs.add(new Pair(problem.question(), response(work, problem.answer()), response(wrongWork, wrong)));
        }
        return pairs;
    }

    private static String response(String work, int answer) {
        return "<think>" + work + "</think><answer>" + answer + "</answer>";
    }
}
