package org.r1wb.pipeline.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.r1wb.pipeline.stages.MinHashDedupStage;

/**
 * Plants near duplicates (true word-5-gram Jaccard ≥ 0.8) and loosely related documents (Jaccard ≤ 0.3) in a
 * generated corpus, runs the MinHash + LSH index with the stage's default parameters, and measures recall and false
 * positives against Jaccard similarities computed exactly from the shingle sets.
 */
class NearDuplicateRecallTest {

    private static final int SHINGLE = (int) MinHashDedupStage.SHINGLE_SIZE.defaultValue().asLong();
    private static final int PERMUTATIONS = (int) MinHashDedupStage.PERMUTATIONS.defaultValue().asLong();
    private static final int BANDS = (int) MinHashDedupStage.BANDS.defaultValue().asLong();
    private static final int ROWS = (int) MinHashDedupStage.ROWS.defaultValue().asLong();
    private static final double THRESHOLD = MinHashDedupStage.THRESHOLD.defaultValue().asDouble();

    private final Random random = new Random(2024);
    private final String[] vocabulary = vocabulary(20_000);

    @Test
    void findsPlantedNearDuplicatesAndLeavesLooseRelativesAlone() {
        List<List<String>> docs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            docs.add(randomWords(80 + random.nextInt(160)));
        }
        List<int[]> nearPairs = new ArrayList<>();
        List<int[]> farPairs = new ArrayList<>();
        int attempts = 0;
        while (nearPairs.size() < 400 && attempts++ < 4000) {
            int base = nearPairs.size();
            List<String> variant = lightlyEdited(docs.get(base));
            if (jaccard(docs.get(base), variant) >= 0.8) {
                docs.add(variant);
                nearPairs.add(new int[] {base, docs.size() - 1});
            }
        }
        attempts = 0;
        while (farPairs.size() < 400 && attempts++ < 4000) {
            int base = 400 + farPairs.size();
            List<String> variant = partlyShared(docs.get(base));
            double j = jaccard(docs.get(base), variant);
            if (j <= 0.3 && j >= 0.1) {
                docs.add(variant);
                farPairs.add(new int[] {base, docs.size() - 1});
            }
        }
        assertThat(nearPairs).hasSize(400);
        assertThat(farPairs).hasSize(400);

        Set<Integer> kept = dedup(docs);

        long found = nearPairs.stream().filter(p -> !(kept.contains(p[0]) && kept.contains(p[1]))).count();
        long oneKept = nearPairs.stream().filter(p -> kept.contains(p[0]) || kept.contains(p[1])).count();
        long falseFar = farPairs.stream().filter(p -> !(kept.contains(p[0]) && kept.contains(p[1]))).count();
        long unrelatedDropped = java.util.stream.IntStream.range(800, 2000).filter(i -> !kept.contains(i)).count();
        double recall = found / (double) nearPairs.size();
        double falsePositives = falseFar / (double) farPairs.size();
        System.out.printf("MinHash: recall %.4f at J>=0.8, false positives %.4f at J<=0.3, unrelated dropped %d%n",
                recall, falsePositives, unrelatedDropped);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
        assertThat(oneKept).as("each cluster keeps one document").isEqualTo(nearPairs.size());
        assertThat(falsePositives).isLessThan(0.01);
        assertThat(unrelatedDropped).isLessThan(12);
    }

    /** Indices of the documents the index keeps, fed in a shuffled order. */
    private Set<Integer> dedup(List<List<String>> docs) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        MinHasher hasher = new MinHasher(SHINGLE, PERMUTATIONS, 1);
        NearDuplicateIndex index = new NearDuplicateIndex(PERMUTATIONS, BANDS, ROWS, THRESHOLD);
        Set<Integer> kept = new HashSet<>();
        for (int i : order) {
            if (index.add(hasher.signature(String.join(" ", docs.get(i)))) < 0) {
                kept.add(i);
            }
        }
        return kept;
    }

    /** A few substitutions, insertions and deletions (about one edit per 60 words). */
    private List<String> lightlyEdited(List<String> base) {
        List<String> words = new ArrayList<>(base);
        int edits = random.nextInt(words.size() / 60 + 1) + 1;
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(words.size());
            switch (random.nextInt(3)) {
                case 0 -> words.set(at, vocabulary[random.nextInt(vocabulary.length)]);
                case 1 -> words.add(at, vocabulary[random.nextInt(vocabulary.length)]);
                default -> words.remove(at);
            }
        }
        return words;
    }

    /** The base's first 30–45 % of words, then fresh words to the same length. */
    private List<String> partlyShared(List<String> base) {
        int shared = (int) (base.size() * (0.30 + 0.15 * random.nextDouble()));
        List<String> words = new ArrayList<>(base.subList(0, shared));
        words.addAll(randomWords(base.size() - shared));
        return words;
    }

    private List<String> randomWords(int n) {
        List<String> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            words.add(vocabulary[random.nextInt(vocabulary.length)]);
        }
        return words;
    }

    private String[] vocabulary(int size) {
        Set<String> words = new HashSet<>();
        while (words.size() < size) {
            StringBuilder w = new StringBuilder();
            int length = 2 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words.add(w.toString());
        }
        return words.toArray(new String[0]);
    }

    /** The exact Jaccard similarity of two documents' word-shingle sets. */
    private static double jaccard(List<String> x, List<String> y) {
        Set<String> a = shingles(x);
        Set<String> b = shingles(y);
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        a.retainAll(b);
        return (double) a.size() / union.size();
    }

    private static Set<String> shingles(List<String> words) {
        Set<String> set = new HashSet<>();
        for (int i = 0; i + SHINGLE <= words.size(); i++) {
            set.add(String.join(" ", words.subList(i, i + SHINGLE)));
        }
        return set;
    }
}
