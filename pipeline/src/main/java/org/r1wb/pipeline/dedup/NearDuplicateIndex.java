package org.r1wb.pipeline.dedup;

import java.util.Arrays;

/**
 * Locality-sensitive hashing over MinHash signatures, fed one document at a time. A signature is cut into
 * {@code bands} bands of {@code rows} values; documents that agree on a whole band become candidates (probability
 * {@code 1 - (1 - s^rows)^bands} at Jaccard {@code s}), and a candidate counts as a near duplicate only when the
 * full signatures agree on at least {@code threshold} of their positions. Every document stays in the index, so a
 * cluster (documents connected by near-duplicate links) keeps exactly its first member. Not thread-safe.
 */
public final class NearDuplicateIndex {

    /** Bucket chains longer than this are only partly searched, bounding the cost of boilerplate-heavy corpora. */
    private static final int CHAIN_LIMIT = 256;

    private final int bands;
    private final int rows;
    private final double threshold;
    private final int length;
    private int[] signatures = new int[0];
    /** next[doc * bands + band]: the previous document in the same bucket, or -1. */
    private int[] next = new int[0];
    private int[] visited = new int[0];
    private final LongIntMap heads;
    private int size;

    /**
     * @param permutations the signature length ({@code bands * rows} of it is used for bucketing, all of it for
     *                     verifying)
     */
    public NearDuplicateIndex(int permutations, int bands, int rows, double threshold) {
        if (bands * rows > permutations) {
            throw new IllegalArgumentException("bands × rows (" + bands * rows + ") exceeds the " + permutations
                    + " permutations");
        }
        this.bands = bands;
        this.rows = rows;
        this.threshold = threshold;
        this.length = permutations;
        this.heads = new LongIntMap(1 << 16);
    }

    /**
     * Adds the next document's signature; returns the index (in add order) of an earlier document it is a near
     * duplicate of, or -1.
     */
    public int add(int[] signature) {
        int doc = size++;
        ensureCapacity(size);
        System.arraycopy(signature, 0, signatures, doc * length, length);
        int duplicateOf = -1;
        for (int band = 0; band < bands; band++) {
            long key = bandKey(signature, band);
            int head = heads.put(key, doc);
            next[doc * bands + band] = head;
            for (int cand = head, walked = 0; cand >= 0 && duplicateOf < 0 && walked < CHAIN_LIMIT;
                 cand = next[cand * bands + band], walked++) {
                if (visited[cand] != doc + 1) {
                    visited[cand] = doc + 1;
                    if (similarity(doc, cand) >= threshold) {
                        duplicateOf = cand;
                    }
                }
            }
        }
        return duplicateOf;
    }

    private double similarity(int x, int y) {
        int same = 0;
        int xo = x * length;
        int yo = y * length;
        for (int i = 0; i < length; i++) {
            if (signatures[xo + i] == signatures[yo + i]) {
                same++;
            }
        }
        return (double) same / length;
    }

    private long bandKey(int[] signature, int band) {
        long h = band * 0x9E3779B97F4A7C15L;
        for (int r = band * rows; r < (band + 1) * rows; r++) {
            h = (h ^ signature[r]) * 0xff51afd7ed558ccdL;
            h ^= h >>> 29;
        }
        return h;
    }

    private void ensureCapacity(int docs) {
        if (docs * bands > next.length) {
            int capacity = Math.max(1024, docs * 2);
            signatures = Arrays.copyOf(signatures, capacity * length);
            next = Arrays.copyOf(next, capacity * bands);
            visited = Arrays.copyOf(visited, capacity);
        }
    }

    /** An open-addressing map from long keys to int values (the newest document of each bucket). */
    private static final class LongIntMap {
        private long[] keys;
        private int[] values;
        private boolean[] used;
        private int count;

        LongIntMap(int capacity) {
            keys = new long[capacity];
            values = new int[capacity];
            used = new boolean[capacity];
        }

        /** Stores {@code value} under {@code key}; returns the previous value, or -1. */
        int put(long key, int value) {
            if (count * 2 >= keys.length) {
                rehash();
            }
            int mask = keys.length - 1;
            int i = (int) (key ^ (key >>> 32)) & mask;
            while (used[i]) {
                if (keys[i] == key) {
                    int old = values[i];
                    values[i] = value;
                    return old;
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = key;
            values[i] = value;
            count++;
            return -1;
        }

        private void rehash() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            boolean[] oldUsed = used;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            used = new boolean[oldKeys.length * 2];
            count = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldUsed[i]) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }
    }
}
