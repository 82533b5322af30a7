package org.r1wb.pipeline.shards;

import java.nio.charset.StandardCharsets;

/**
 * Assigns documents to train or validation by a seeded hash of their text, so the split is reproducible and
 * identical documents always land on the same side (no leakage of duplicates into validation).
 */
public final class DocumentSplitter {

    private final double validationFraction;
    private final long seed;

    /** @param validationFraction expected share of documents in validation, in [0, 1) */
    public DocumentSplitter(double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), was " + validationFraction);
        }
        this.validationFraction = validationFraction;
        this.seed = seed;
    }

    /** True when the document goes to validation. */
    public boolean isValidation(String text) {
        long h = 0xcbf29ce484222325L ^ mix(seed);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        double u = (mix(h) >>> 11) * 0x1.0p-53;
        return u < validationFraction;
    }

    /** SplitMix64's finaliser: FNV alone has weak high bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
