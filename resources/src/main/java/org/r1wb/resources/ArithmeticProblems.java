package org.r1wb.resources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Generates grade-school arithmetic word problems with a worked line and a GSM8K-style {@code #### n}
 * answer line: the sample workspace's training text and its held-out exact-match task.
 *
 * <p>Numbers stay small on purpose: the sample model is tiny and trains for minutes on a CPU, and the
 * demo should show exact match moving, not sitting at zero.
 */
public final class ArithmeticProblems {

    /** One problem: the question as asked, the worked solution line, and the answer. */
    public record Problem(String question, String work, int answer) {

        /** The training document: question, worked line, answer line. */
        public String text() {
            return question + "\n" + work + "\n#### " + answer;
        }
    }

    private static final String[] NAMES = {"Ada", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan",
        "Jun", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tove"};
    private static final String[] ITEMS = {"apples", "books", "coins", "pencils", "stamps", "marbles", "shells",
        "cards", "eggs", "cookies", "stones", "tickets"};
    private static final String[] CONTAINERS = {"box", "bag", "jar", "crate", "basket", "tin"};

    private ArithmeticProblems() {
    }

    /** {@code count} distinct problems from {@code seed}, skipping any question {@code exclude} rejects. */
    public static List<Problem> generate(long seed, int count, Predicate<String> exclude) {
        Random random = new Random(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<Problem> problems = new ArrayList<>(count);
        int attempts = 0;
        while (problems.size() < count) {
            if (++attempts > count * 50) {
                throw new IllegalStateException("cannot find " + count + " distinct problems; only "
                        + problems.size() + " exist under these bounds");
            }
            Problem problem = one(random);
            if (!exclude.test(problem.question()) && seen.add(problem.question())) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private static Problem one(Random r) {
        String name = pick(r, NAMES);
        String other = pick(r, NAMES);
        while (other.equals(name)) {
            other = pick(r, NAMES);
        }
        String items = pick(r, ITEMS);
        switch (r.nextInt(4)) {
            case 0 -> {
                int a = 1 + r.nextInt(20);
                int b = 1 + r.nextInt(20);
                return new Problem(name + " has " + a + " " + items + " and gets " + b + " more. How many "
                        + items + " does " + name + " have now?", a + " + " + b + " = " + (a + b), a + b);
            }
            case 1 -> {
                int a = 2 + r.nextInt(29);
                int b = 1 + r.nextInt(a - 1);
                return new Problem(name + " had " + a + " " + items + " and gave " + b + " to " + other
                        + ". How many " + items + " are left?", a + " - " + b + " = " + (a - b), a - b);
            }
            case 2 -> {
                int a = 2 + r.nextInt(8);
                int b = 2 + r.nextInt(8);
                String container = pick(r, CONTAINERS);
                return new Problem("Each " + container + " holds " + a + " " + items + ". How many " + items
                        + " are in " + b + " " + container + (container.endsWith("x") ? "es" : "s") + "?",
                        a + " * " + b + " = " + (a * b), a * b);
            }
            default -> {
                int each = 2 + r.nextInt(8);
                int friends = 2 + r.nextInt(5);
                int total = each * friends;
                return new Problem(name + " shares " + total + " " + items + " equally among " + friends
                        + " friends. How many " + items + " does each friend get?",
                        total + " / " + friends + " = " + each, each);
            }
        }
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
