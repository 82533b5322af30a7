package org.r1wb.model.recipe.reject;

import java.util.HashSet;
import java.util.Set;

/**
 * Exact deduplication of (prompt, response) pairs after normalising white space: runs of white space count as one
 * space and the ends are stripped, so {@code "7 "} and {@code "7"} are one answer. The same response to two
 * different prompts is two examples.
 */
public final class SeenResponses {

    private final Set<String> keys = new HashSet<>();

    /** Records the pair; {@code true} when it was not seen before. */
    public boolean add(String prompt, String response) {
        return keys.add(normalise(prompt) + '\u0000' + normalise(response));
    }

    /** {@code text} with runs of white space collapsed to one space and the ends stripped. */
    public static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
