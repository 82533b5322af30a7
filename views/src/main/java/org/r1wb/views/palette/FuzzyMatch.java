package org.r1wb.views.palette;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How well a typed query matches a text, IntelliJ-style: the query's letters in order, not necessarily adjacent
 * ("nwr" finds "New Training Run"), scored higher when they start words and follow each other. Case-insensitive.
 * Free of JavaFX.
 *
 * @param score     higher is better
 * @param positions the text's indices matched by the query's letters, ascending (for highlighting)
 */
public record FuzzyMatch(int score, int[] positions) {

    private static final int LETTER = 10;
    private static final int WORD_START = 20;
    private static final int TEXT_START = 15;
    private static final int ADJACENT = 25;
    private static final int GAP = 2;
    private static final int NONE = Integer.MIN_VALUE / 2;

    public FuzzyMatch {
        positions = positions.clone();
    }

    @Override
    public int[] positions() {
        return positions.clone();
    }

    /** The best match of {@code query} in {@code text}; empty when the query's letters do not all occur in order. */
    public static Optional<FuzzyMatch> of(String query, String text) {
        String q = query.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        if (q.isEmpty()) {
            return Optional.of(new FuzzyMatch(0, new int[0]));
        }
        String t = text.toLowerCase(Locale.ROOT);
        int m = q.length();
        int n = t.length();
        if (m > n) {
            return Optional.empty();
        }
        // best[i][j]: best score with query letter i matched at text index j; from[i][j] the previous letter's index
        int[][] best = new int[m][n];
        int[][] from = new int[m][n];
        for (int[] row : best) {
            Arrays.fill(row, NONE);
        }
        for (int j = 0; j < n; j++) {
            if (t.charAt(j) == q.charAt(0)) {
                best[0][j] = bonus(text, j) - GAP * Math.min(j, 10);
            }
        }
        for (int i = 1; i < m; i++) {
            for (int j = i; j < n; j++) {
                if (t.charAt(j) != q.charAt(i)) {
                    continue;
                }
                for (int k = i - 1; k < j; k++) {
                    if (best[i - 1][k] == NONE) {
                        continue;
                    }
                    int step = k == j - 1 ? ADJACENT : -GAP * Math.min(j - k - 1, 10);
                    int score = best[i - 1][k] + step + bonus(text, j);
                    if (score > best[i][j]) {
                        best[i][j] = score;
                        from[i][j] = k;
                    }
                }
            }
        }
        int end = -1;
        for (int j = m - 1; j < n; j++) {
            if (best[m - 1][j] != NONE && (end < 0 || best[m - 1][j] > best[m - 1][end])) {
                end = j;
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        int[] positions = new int[m];
        for (int i = m - 1, j = end; i >= 0; j = from[i][j], i--) {
            positions[i] = j;
        }
        // among equal matches the shorter text is the closer one
        return Optional.of(new FuzzyMatch(best[m - 1][end] - n / 8, positions));
    }

    private static int bonus(String text, int j) {
        if (j == 0) {
            return LETTER + WORD_START + TEXT_START;
        }
        char previous = text.charAt(j - 1);
        char here = text.charAt(j);
        boolean wordStart = !Character.isLetterOrDigit(previous)
                || (Character.isUpperCase(here) && Character.isLowerCase(previous));
        return wordStart ? LETTER + WORD_START : LETTER;
    }
}
