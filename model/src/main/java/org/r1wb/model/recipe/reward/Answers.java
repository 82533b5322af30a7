package org.r1wb.model.recipe.reward;

import java.math.BigDecimal;

/** Taking the final answer out of a reasoning completion and comparing it with a reference. */
public final class Answers {

    private static final String OPEN = "<answer>";
    private static final String CLOSE = "</answer>";

    private Answers() {
    }

    /** The content of the last {@code <answer>…</answer>}, stripped, or {@code null} when there is none. */
    public static String extract(String text) {
        int close = text.lastIndexOf(CLOSE);
        if (close < 0) {
            return null;
        }
        int open = text.lastIndexOf(OPEN, close);
        return open < 0 ? null : text.substring(open + OPEN.length(), close).strip();
    }

    /**
     * Whether {@code answer} says what {@code target} says: as numbers when both are numbers ({@code 4.0} equals
     * {@code 4}, {@code 1,000} equals {@code 1000}), otherwise as text with runs of white space collapsed.
     */
    public static boolean matches(String answer, String target) {
        if (answer == null || target == null) {
            return false;
        }
        BigDecimal a = number(answer);
        BigDecimal t = number(target);
        if (a != null && t != null) {
            return a.compareTo(t) == 0;
        }
        return collapse(answer).equals(collapse(target));
    }

    private static BigDecimal number(String text) {
        String plain = text.strip().replace(",", "");
        if (!plain.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        return new BigDecimal(plain.startsWith("+") ? plain.substring(1) : plain);
    }

    private static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
