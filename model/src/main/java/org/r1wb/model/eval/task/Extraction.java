package org.r1wb.model.eval.task;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the answer is taken from a generated text: all of it, the number after {@code ####} (GSM8K), the
 * content of the last {@code \boxed{…}} (MATH), or a regular expression's first group.
 *
 * @param kind    {@code none}, {@code hash}, {@code boxed} or {@code regex}
 * @param pattern the expression for {@code regex} (group 1 if it has one, else the whole match)
 */
public record Extraction(String kind, String pattern) {

    /** The kinds a task may name. */
    public static final java.util.List<String> KINDS = java.util.List.of("none", "hash", "boxed", "regex");

    private static final Pattern HASH = Pattern.compile("####\\s*(-?[0-9][0-9,]*(?:\\.[0-9]+)?)");
    private static final String BOXED = "\\boxed{";

    /** The whole output, stripped. */
    public static Extraction none() {
        return new Extraction("none", null);
    }

    /** The answer in {@code output}, or {@code null} when it has none. */
    public String extract(String output) {
        return switch (kind) {
            case "hash" -> first(HASH.matcher(output));
            case "boxed" -> lastBoxed(output);
            case "regex" -> first(Pattern.compile(pattern).matcher(output));
            default -> output.strip();
        };
    }

    private static String first(Matcher matcher) {
        if (!matcher.find()) {
            return null;
        }
        return matcher.groupCount() >= 1 ? matcher.group(1) : matcher.group();
    }

    /** The last {@code \boxed{…}}'s content, braces balanced so {@code \boxed{\frac{1}{2}}} works. */
    private static String lastBoxed(String output) {
        int start = output.lastIndexOf(BOXED);
        if (start < 0) {
            return null;
        }
        int depth = 1;
        int from = start + BOXED.length();
        for (int i = from; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return output.substring(from, i);
            }
        }
        return null;
    }
}
