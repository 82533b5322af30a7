package org.r1wb.model.generate;

import java.util.List;

/**
 * How to continue a prompt.
 *
 * @param maxNewTokens most tokens to produce
 * @param temperature  0 decodes greedily (argmax); above 0 divides the logits before sampling
 * @param topP         nucleus sampling: sample among the most likely tokens whose probabilities sum to at least
 *                     {@code topP} (1 keeps every token); ignored when greedy
 * @param seed         seeds the sampler, so the same config gives the same text
 * @param stopIds      ids that end generation; the stop id itself is not returned
 * @param stopStrings  texts that end generation once the decoded continuation contains one; the returned text is
 *                     cut before it (needs a decoder)
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, long seed, int[] stopIds,
                               List<String> stopStrings) {

    public GenerationConfig {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be ≥ 0 (is " + maxNewTokens + ")");
        }
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be ≥ 0 (is " + temperature + "); use 0 for greedy");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (is " + topP + "); use 1 to keep every token");
        }
        stopIds = stopIds == null ? new int[0] : stopIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }

    /** Greedy decoding of at most {@code maxNewTokens}, stopping at any of {@code stopIds}. */
    public static GenerationConfig greedy(int maxNewTokens, int... stopIds) {
        return new GenerationConfig(maxNewTokens, 0, 1, 0, stopIds, List.of());
    }

    /** Whether decoding takes the argmax. */
    public boolean isGreedy() {
        return temperature == 0;
    }
}
