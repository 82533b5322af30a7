package org.r1wb.workbench.recipe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A completion cut into its reasoning ({@code <think>…</think>}, folded in the browser) and the rest (the answer
 * and any text around it). An unterminated {@code <think>} (the sample ran out of tokens) reasons to the end.
 *
 * @param think  the reasoning without its tags; empty when there is none
 * @param answer everything outside the reasoning, trimmed
 */
public record ThinkSplit(String think, String answer) {

    private static final Pattern THINK = Pattern.compile("<think>(.*?)(</think>|\\z)", Pattern.DOTALL);

    /** Splits {@code text} at its first reasoning block. */
    public static ThinkSplit of(String text) {
        Matcher m = THINK.matcher(text);
        if (!m.find()) {
            return new ThinkSplit("", text.strip());
        }
        String answer = (text.substring(0, m.start()) + text.substring(m.end())).strip();
        return new ThinkSplit(m.group(1).strip(), answer);
    }
}
