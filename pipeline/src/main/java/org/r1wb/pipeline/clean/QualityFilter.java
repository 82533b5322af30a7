package org.r1wb.pipeline.clean;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Heuristic document quality checks in the spirit of Gopher's rules (Rae et al. 2021, appendix A): length bounds,
 * character entropy, repetition (duplicate lines, the most frequent word n-gram) and the symbol-to-word ratio. Each
 * check that fails names itself, so statistics say why a document went. Thread-safe.
 */
public final class QualityFilter {

    /** Reason: fewer characters than {@link Thresholds#minChars()}. */
    public static final String TOO_SHORT = "too short";
    /** Reason: more characters than {@link Thresholds#maxChars()}. */
    public static final String TOO_LONG = "too long";
    /** Reason: character entropy below {@link Thresholds#minEntropy()}. */
    public static final String LOW_ENTROPY = "low character entropy";
    /** Reason: too many lines repeat an earlier line. */
    public static final String DUPLICATE_LINES = "duplicate lines";
    /** Reason: the most frequent word n-gram covers too much of the text. */
    public static final String REPEATED_NGRAM = "repeated n-gram";
    /** Reason: too many '#' and ellipses per word. */
    public static final String SYMBOLS = "symbol/word ratio";

    /**
     * The limits; a check is off when its limit can never be crossed (0 for minimums, 1 for fractions).
     *
     * @param minChars                 fewest characters (code points) a document may have
     * @param maxChars                 most characters a document may have
     * @param minEntropy               lowest Shannon entropy of the character distribution, in bits per character;
     *                                 repeated-character junk ("=====", "aaaa") scores near 0, English prose ~4.2
     * @param maxDuplicateLineFraction largest share of non-blank lines that may repeat an earlier line
     * @param ngramSize                n of the word n-gram repetition check
     * @param maxTopNgramFraction      largest share of word characters the most frequent n-gram may cover (counted
     *                                 only when it occurs more than once)
     * @param maxSymbolWordRatio       largest number of '#' plus ellipses ("...", "…") per word
     */
    public record Thresholds(int minChars, int maxChars, double minEntropy, double maxDuplicateLineFraction,
                             int ngramSize, double maxTopNgramFraction, double maxSymbolWordRatio) {
    }

    private final Thresholds limits;

    public QualityFilter(Thresholds limits) {
        this.limits = limits;
    }

    /** Why {@code text} fails, naming the first failing check; empty when it passes every check. */
    public Optional<String> check(String text) {
        int chars = text.codePointCount(0, text.length());
        if (chars < limits.minChars()) {
            return Optional.of(TOO_SHORT);
        }
        if (chars > limits.maxChars()) {
            return Optional.of(TOO_LONG);
        }
        if (limits.minEntropy() > 0 && entropy(text) < limits.minEntropy()) {
            return Optional.of(LOW_ENTROPY);
        }
        if (limits.maxDuplicateLineFraction() < 1 && duplicateLineFraction(text) > limits.maxDuplicateLineFraction()) {
            return Optional.of(DUPLICATE_LINES);
        }
        String[] words = words(text);
        if (limits.maxTopNgramFraction() < 1 && topNgramFraction(words, limits.ngramSize()) > limits.maxTopNgramFraction()) {
            return Optional.of(REPEATED_NGRAM);
        }
        if (words.length > 0 && symbols(text) / (double) words.length > limits.maxSymbolWordRatio()) {
            return Optional.of(SYMBOLS);
        }
        return Optional.empty();
    }

    /** Shannon entropy of the code point distribution, in bits per character (0 for empty text). */
    public static double entropy(String text) {
        Map<Integer, int[]> counts = new HashMap<>();
        int[] ascii = new int[128];
        int total = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 128) {
                ascii[cp]++;
            } else {
                counts.computeIfAbsent(cp, k -> new int[1])[0]++;
            }
            total++;
            i += Character.charCount(cp);
        }
        double h = 0;
        for (int c : ascii) {
            h += term(c, total);
        }
        for (int[] c : counts.values()) {
            h += term(c[0], total);
        }
        return h;
    }

    private static double term(int count, int total) {
        if (count == 0) {
            return 0;
        }
        double p = (double) count / total;
        return -p * Math.log(p) / Math.log(2);
    }

    /** The share of non-blank lines (trimmed) equal to an earlier line; 0 with fewer than two lines. */
    public static double duplicateLineFraction(String text) {
        if (text.indexOf('\n') < 0) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        int lines = 0;
        int duplicates = 0;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            lines++;
            if (!seen.add(trimmed)) {
                duplicates++;
            }
        }
        return lines < 2 ? 0 : (double) duplicates / lines;
    }

    /**
     * The share of word characters covered by the most frequent word n-gram, counting each of its occurrences;
     * 0 when no n-gram occurs twice.
     */
    public static double topNgramFraction(String[] words, int n) {
        if (words.length < n + 1) {
            return 0;
        }
        long wordChars = 0;
        for (String w : words) {
            wordChars += w.length();
        }
        Map<String, Integer> counts = new HashMap<>();
        String top = null;
        int topCount = 1;
        StringBuilder key = new StringBuilder();
        for (int i = 0; i + n <= words.length; i++) {
            key.setLength(0);
            for (int j = 0; j < n; j++) {
                key.append(words[i + j]).append(' ');
            }
            String gram = key.toString();
            int c = counts.merge(gram, 1, Integer::sum);
            if (c > topCount) {
                topCount = c;
                top = gram;
            }
        }
        if (top == null) {
            return 0;
        }
        int gramChars = top.length() - n; // the separating spaces are not word characters
        return Math.min(1.0, (double) gramChars * topCount / wordChars);
    }

    /** Whitespace-separated, lower-cased words. */
    public static String[] words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? new String[0] : trimmed.toLowerCase(java.util.Locale.ROOT).split("\\s+");
    }

    private static int symbols(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '#' || c == '…') {
                n++;
            } else if (c == '.' && text.startsWith("...", i)) {
                n++;
                i += 2;
            }
        }
        return n;
    }
}
