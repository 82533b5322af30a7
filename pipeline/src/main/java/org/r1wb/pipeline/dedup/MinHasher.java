package org.r1wb.pipeline.dedup;

import java.util.SplittableRandom;

/**
 * MinHash signatures of a document's word shingles. A shingle is {@code shingleSize} consecutive lower-cased
 * whitespace-separated words (a shorter document is one shingle). Each shingle is hashed to 64 bits once; the
 * {@code permutations} hash functions are then multiply-shift hashes {@code (a·h + b) >>> 32} with random odd
 * {@code a}, so a signature costs two multiplications per shingle and permutation. The share of equal positions in
 * two signatures estimates the Jaccard similarity of the shingle sets. Thread-safe.
 */
public final class MinHasher {

    private final int shingleSize;
    private final long[] a;
    private final long[] b;

    /**
     * @param shingleSize  words per shingle
     * @param permutations signature length
     * @param seed         seeds the hash functions: signatures compare only under the same seed
     */
    public MinHasher(int shingleSize, int permutations, long seed) {
        if (shingleSize < 1 || permutations < 1) {
            throw new IllegalArgumentException("shingleSize and permutations must be positive");
        }
        this.shingleSize = shingleSize;
        SplittableRandom random = new SplittableRandom(seed);
        a = new long[permutations];
        b = new long[permutations];
        for (int p = 0; p < permutations; p++) {
            a[p] = random.nextLong() | 1;
            b[p] = random.nextLong();
        }
    }

    /** The signature length. */
    public int permutations() {
        return a.length;
    }

    /** The signature of {@code text}; all {@link Integer#MAX_VALUE} when it has no words. */
    public int[] signature(String text) {
        long[] words = wordHashes(text);
        int n = (int) words[words.length - 1];
        int[] signature = new int[a.length];
        java.util.Arrays.fill(signature, Integer.MAX_VALUE);
        if (n == 0) {
            return signature;
        }
        int span = Math.min(shingleSize, n);
        for (int start = 0; start + span <= n; start++) {
            long h = 0;
            for (int j = start; j < start + span; j++) {
                h = h * 0x9E3779B97F4A7C15L + words[j];
            }
            h = mix(h);
            for (int p = 0; p < signature.length; p++) {
                int v = (int) ((a[p] * h + b[p]) >>> 33);
                if (v < signature[p]) {
                    signature[p] = v;
                }
            }
        }
        return signature;
    }

    /** The estimated Jaccard similarity: the share of positions where two signatures agree. */
    public static double similarity(int[] x, int[] y) {
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return (double) same / x.length;
    }

    /** FNV-1a hashes of the lower-cased words; the last slot holds the word count. */
    private static long[] wordHashes(String text) {
        long[] hashes = new long[Math.max(2, text.length() / 4 + 2)];
        int n = 0;
        long h = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    hashes = grow(hashes, n);
                    hashes[n++] = h;
                    inWord = false;
                }
            } else {
                if (!inWord) {
                    h = 0xcbf29ce484222325L;
                    inWord = true;
                }
                h = (h ^ Character.toLowerCase(c)) * 0x100000001b3L;
            }
        }
        if (inWord) {
            hashes = grow(hashes, n);
            hashes[n++] = h;
        }
        hashes = grow(hashes, n);
        hashes[hashes.length - 1] = n;
        return hashes;
    }

    private static long[] grow(long[] hashes, int n) {
        return n + 1 < hashes.length ? hashes : java.util.Arrays.copyOf(hashes, hashes.length * 2);
    }

    /** The SplitMix64 finaliser: spreads every input bit over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
