package org.r1wb.pipeline.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.r1wb.pipeline.Progress;

/**
 * Trains a byte-level BPE {@link BpeTokenizer} (GPT-2 style).
 *
 * <p>Ids: 0–255 are the bytes (id = byte value), then the special tokens, then one id per merge. Training counts
 * pre-tokenizer words once, then keeps pair counts incrementally: each merge rewrites only the words that hold the
 * pair, and a lazy max-heap (stale entries are re-queued on pop) finds the next most frequent pair. Ties go to the
 * pair with the smaller (left, right) ids, so training is deterministic.
 */
public final class BpeTrainer {

    private static final int BYTE_TOKENS = 256;

    private final int vocabSize;
    private final int minFrequency;
    private final List<String> specialTokens;

    private BpeTrainer(Builder builder) {
        this.vocabSize = builder.vocabSize;
        this.minFrequency = builder.minFrequency;
        this.specialTokens = List.copyOf(builder.specialTokens);
    }

    /** A builder: {@code setVocabSize} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Trains on {@code texts} (each a document). */
    public BpeTokenizer train(Iterable<String> texts) {
        return train(texts, Progress.NONE, () -> false);
    }

    /**
     * Trains on {@code texts}, reporting progress and stopping with {@link CancellationException} once
     * {@code cancelled} answers true.
     */
    public BpeTokenizer train(Iterable<String> texts, Progress progress, BooleanSupplier cancelled) {
        progress.report(0, "counting words");
        Map<String, Long> wordCounts = countWords(texts, cancelled);
        Words words = new Words(wordCounts);
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String special : specialTokens) {
            specials.putIfAbsent(special, BYTE_TOKENS + specials.size());
        }
        List<byte[]> tokenBytes = new ArrayList<>();
        for (int b = 0; b < BYTE_TOKENS; b++) {
            tokenBytes.add(new byte[] {(byte) b});
        }
        specials.keySet().forEach(s -> tokenBytes.add(s.getBytes(StandardCharsets.UTF_8)));

        List<int[]> merges = new ArrayList<>();
        int targetMerges = vocabSize - tokenBytes.size();
        PriorityQueue<Candidate> queue = new PriorityQueue<>();
        words.pairs.forEach((key, stat) -> queue.add(new Candidate(key, stat.count)));
        while (merges.size() < targetMerges && !queue.isEmpty()) {
            Candidate top = queue.poll();
            PairStat stat = words.pairs.get(top.pair);
            if (stat == null || stat.count != top.count) {
                if (stat != null && stat.count > 0) {
                    queue.add(new Candidate(top.pair, stat.count));
                }
                continue;
            }
            if (top.count < minFrequency) {
                break;
            }
            int left = (int) (top.pair >>> 32);
            int right = (int) top.pair;
            int merged = tokenBytes.size();
            tokenBytes.add(concat(tokenBytes.get(left), tokenBytes.get(right)));
            merges.add(new int[] {left, right});
            for (long changed : words.merge(top.pair, left, right, merged)) {
                PairStat s = words.pairs.get(changed);
                if (s != null && s.count > 0) {
                    queue.add(new Candidate(changed, s.count));
                }
            }
            if (merges.size() % 64 == 0) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("tokenizer training cancelled");
                }
                progress.report((double) merges.size() / targetMerges, "merges " + merges.size() + "/" + targetMerges);
            }
        }
        progress.report(1, "merges " + merges.size());
        return toTokenizer(tokenBytes, merges, specials);
    }

    private Map<String, Long> countWords(Iterable<String> texts, BooleanSupplier cancelled) {
        Pattern specialSplit = specialTokens.isEmpty() ? null : Pattern.compile(
                specialTokens.stream().map(Pattern::quote).collect(Collectors.joining("|")));
        Map<String, Long> counts = new HashMap<>();
        long seen = 0;
        for (String text : texts) {
            // Special token texts inside documents never seed merges: encoding matches them whole.
            String[] pieces = specialSplit == null ? new String[] {text} : specialSplit.split(text);
            for (String piece : pieces) {
                PreTokenizer.split(piece, word -> counts.merge(word, 1L, Long::sum));
            }
            if (++seen % 1024 == 0 && cancelled.getAsBoolean()) {
                throw new CancellationException("tokenizer training cancelled");
            }
        }
        return counts;
    }

    private static BpeTokenizer toTokenizer(List<byte[]> tokenBytes, List<int[]> merges, Map<String, Integer> specials) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        String[] strings = new String[tokenBytes.size()];
        for (int id = 0; id < tokenBytes.size(); id++) {
            strings[id] = ByteLevel.encode(tokenBytes.get(id));
            if (!specials.containsValue(id)) {
                vocab.put(strings[id], id);
            }
        }
        List<String[]> mergeStrings = new ArrayList<>(merges.size());
        for (int[] m : merges) {
            mergeStrings.add(new String[] {strings[m[0]], strings[m[1]]});
        }
        return new BpeTokenizer(vocab, mergeStrings, specials);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A queued pair with the count it had when queued; higher counts first, then smaller ids. */
    private record Candidate(long pair, long count) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            int byCount = Long.compare(o.count, count);
            return byCount != 0 ? byCount : Long.compare(pair, o.pair);
        }
    }

    /** How often a pair occurs (weighted by word frequency) and which words may hold it (a superset). */
    private static final class PairStat {
        long count;
        final Set<Integer> words = new HashSet<>();
    }

    /** The distinct words as symbol arrays, with their frequencies and the pair index over them. */
    private static final class Words {
        final int[][] symbols;
        final long[] frequency;
        final Map<Long, PairStat> pairs = new HashMap<>();

        Words(Map<String, Long> counts) {
            symbols = new int[counts.size()][];
            frequency = new long[counts.size()];
            int w = 0;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
                int[] ids = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    ids[i] = bytes[i] & 0xFF;
                }
                symbols[w] = ids;
                frequency[w] = e.getValue();
                for (int i = 0; i + 1 < ids.length; i++) {
                    PairStat stat = pairs.computeIfAbsent(BpeTokenizer.pairKey(ids[i], ids[i + 1]), k -> new PairStat());
                    stat.count += frequency[w];
                    stat.words.add(w);
                }
                w++;
            }
        }

        /** Applies one merge to every word holding the pair; returns the pairs whose counts changed. */
        Set<Long> merge(long pair, int left, int right, int merged) {
            PairStat stat = pairs.remove(pair);
            Map<Long, Long> delta = new HashMap<>();
            for (int w : stat.words) {
                int[] old = symbols[w];
                int[] updated = mergeWord(old, left, right, merged);
                if (updated == old) {
                    continue;
                }
                long f = frequency[w];
                for (int i = 0; i + 1 < old.length; i++) {
                    delta.merge(BpeTokenizer.pairKey(old[i], old[i + 1]), -f, Long::sum);
                }
                for (int i = 0; i + 1 < updated.length; i++) {
                    long key = BpeTokenizer.pairKey(updated[i], updated[i + 1]);
                    delta.merge(key, f, Long::sum);
                    if (updated[i] == merged || updated[i + 1] == merged) {
                        pairs.computeIfAbsent(key, k -> new PairStat()).words.add(w);
                    }
                }
                symbols[w] = updated;
            }
            Set<Long> changed = new HashSet<>();
            delta.forEach((key, d) -> {
                if (d != 0 && key != pair) {
                    PairStat s = pairs.computeIfAbsent(key, k -> new PairStat());
                    s.count += d;
                    changed.add(key);
                }
            });
            return changed;
        }

        /** The word with every (left, right) merged, left to right; the same array if none occurs. */
        private static int[] mergeWord(int[] word, int left, int right, int merged) {
            int[] out = null;
            int n = 0;
            for (int i = 0; i < word.length; ) {
                if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                    if (out == null) {
                        out = new int[word.length - 1];
                        System.arraycopy(word, 0, out, 0, i);
                        n = i;
                    }
                    out[n++] = merged;
                    i += 2;
                } else {
                    if (out != null) {
                        out[n++] = word[i];
                    }
                    i++;
                }
            }
            return out == null ? word : Arrays.copyOf(out, n);
        }
    }

    /** Builds a {@link BpeTrainer}. */
    public static final class Builder {
        private int vocabSize;
        private int minFrequency = 2;
        private List<String> specialTokens = List.of("<|endoftext|>");

        private Builder() {
        }

        /** Final vocabulary size: 256 byte tokens + special tokens + merges. */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Pairs seen fewer times than this are never merged (default 2), so the vocabulary may end smaller. */
        public Builder optMinFrequency(int minFrequency) {
            this.minFrequency = minFrequency;
            return this;
        }

        /** Special tokens, given ids right after the bytes (default {@code <|endoftext|>}). */
        public Builder optSpecialTokens(List<String> specialTokens) {
            this.specialTokens = specialTokens;
            return this;
        }

        /** Validates and builds. */
        public BpeTrainer build() {
            int floor = BYTE_TOKENS + (int) specialTokens.stream().distinct().count();
            if (vocabSize < floor) {
                throw new IllegalArgumentException("vocabSize " + vocabSize + " is below " + floor
                        + " (256 byte tokens + " + (floor - BYTE_TOKENS) + " special tokens)");
            }
            if (minFrequency < 1) {
                throw new IllegalArgumentException("minFrequency must be at least 1, was " + minFrequency);
            }
            if (specialTokens.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("special tokens must not be empty");
            }
            return new BpeTrainer(this);
        }
    }
}
