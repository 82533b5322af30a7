package org.r1wb.model.recipe.reject;

import java.util.List;

/**
 * What rejection sampling made of one prompt.
 *
 * @param index      the prompt's position in the prompt file (0-based)
 * @param total      completions sampled
 * @param accepted   completions the rewards accepted (duplicates included)
 * @param duplicates accepted completions left out as already kept
 * @param kept       the responses written to the SFT set, in sampling order
 */
public record PromptResult(int index, int total, int accepted, int duplicates, List<String> kept) {

    /** Copies {@code kept}. */
    public PromptResult {
        kept = List.copyOf(kept);
    }
}
