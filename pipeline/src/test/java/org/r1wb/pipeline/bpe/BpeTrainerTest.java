package org.r1wb.pipeline.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.r1wb.pipeline.TestCorpus;

class BpeTrainerTest {

    @Test
    void incrementalTrainingMatchesANaiveRecount() {
        List<String> corpus = TestCorpus.documents(3, 8_000);
        int merges = 150;
        BpeTokenizer trained = BpeTrainer.builder().setVocabSize(257 + merges).optMinFrequency(2)
                .optSpecialTokens(List.of("<|endoftext|>")).build().train(corpus);

        List<String> expected = naiveMerges(corpus, merges, 2);
        List<String> actual = new ArrayList<>();
        for (int id = 257; id < trained.vocabSize(); id++) {
            actual.add(trained.token(id));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void minFrequencyStopsMergingEarly() {
        List<String> corpus = List.of("abc abc abd", "xyz");
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(1000).optMinFrequency(3).build().train(corpus);
        // "ab" occurs 3 times (a pair count ≥ 3); every other pair fewer, so exactly one merge happens.
        assertThat(tokenizer.vocabSize()).isEqualTo(258);
        assertThat(tokenizer.token(257)).isEqualTo("ab");
    }

    @Test
    void builderRejectsAVocabularyWithoutRoomForTheBase() {
        assertThatThrownBy(() -> BpeTrainer.builder().setVocabSize(256).build())
                .hasMessageContaining("below 257");
        assertThatThrownBy(() -> BpeTrainer.builder().setVocabSize(300).optMinFrequency(0).build())
                .hasMessageContaining("minFrequency");
    }

    @Test
    void cancellationStopsTraining() {
        List<String> corpus = TestCorpus.documents(4, 50_000);
        BpeTrainer trainer = BpeTrainer.builder().setVocabSize(2000).build();
        assertThatThrownBy(() -> trainer.train(corpus, (f, m) -> { }, () -> true))
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void threeMegabytesToEightThousandTokensTakesSeconds() {
        List<String> corpus = TestCorpus.documents(5, 3_000_000);
        long start = System.nanoTime();
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(8192).build().train(corpus);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("trained 3 MB to %d tokens in %.1f s%n", tokenizer.vocabSize(), seconds);
        assertThat(seconds).isLessThan(30);
    }

    /** Textbook BPE: recount every pair of every word before each merge. */
    private static List<String> naiveMerges(List<String> corpus, int merges, int minFrequency) {
        Map<String, Long> wordCounts = new HashMap<>();
        for (String doc : corpus) {
            PreTokenizer.split(doc, w -> wordCounts.merge(w, 1L, Long::sum));
        }
        List<List<String>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            ids.put(ByteLevel.encode(new byte[] {(byte) b}), b);
        }
        int nextId = 257;
        wordCounts.forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            for (byte b : w.getBytes(StandardCharsets.UTF_8)) {
                symbols.add(ByteLevel.encode(new byte[] {b}));
            }
            words.add(symbols);
            counts.add(c);
        });
        List<String> result = new ArrayList<>();
        for (int m = 0; m < merges; m++) {
            Map<List<String>, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(List.of(s.get(i), s.get(i + 1)), counts.get(w), Long::sum);
                }
            }
            List<String> best = null;
            long bestCount = 0;
            for (Map.Entry<List<String>, Long> e : pairs.entrySet()) {
                long c = e.getValue();
                if (c > bestCount || (c == bestCount && lessByIds(e.getKey(), best, ids))) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null || bestCount < minFrequency) {
                break;
            }
            String merged = best.get(0) + best.get(1);
            ids.put(merged, nextId++);
            result.add(merged);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(best.get(0)) && s.get(i + 1).equals(best.get(1))) {
                        s.set(i, merged);
                        s.remove(i + 1);
                    }
                }
            }
        }
        return result;
    }

    private static boolean lessByIds(List<String> a, List<String> b, Map<String, Integer> ids) {
        return Arrays.compare(new int[] {ids.get(a.get(0)), ids.get(a.get(1))},
                new int[] {ids.get(b.get(0)), ids.get(b.get(1))}) < 0;
    }
}
