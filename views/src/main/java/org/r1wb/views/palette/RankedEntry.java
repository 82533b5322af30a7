package org.r1wb.views.palette;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A palette entry with how well it matched the query.
 *
 * @param entry      the entry
 * @param score      the match's score; higher ranks first
 * @param titleMatch the title's matched letters (empty when only the detail matched)
 */
public record RankedEntry(PaletteEntry entry, int score, int[] titleMatch) {

    /** A match only in the detail ranks below the same match in the title. */
    static final int DETAIL_PENALTY = 30;

    /** Best first; ties keep the order the entries were given in (actions, then files, then settings). */
    public static List<RankedEntry> rank(String query, List<PaletteEntry> entries) {
        return entries.stream()
                .map(entry -> match(query, entry))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparingInt(RankedEntry::score).reversed())
                .toList();
    }

    private static Optional<RankedEntry> match(String query, PaletteEntry entry) {
        Optional<FuzzyMatch> title = FuzzyMatch.of(query, entry.title());
        Optional<FuzzyMatch> detail = FuzzyMatch.of(query, entry.detail())
                .filter(match -> !entry.detail().isEmpty());
        int titleScore = title.map(FuzzyMatch::score).orElse(Integer.MIN_VALUE);
        int detailScore = detail.map(match -> match.score() - DETAIL_PENALTY).orElse(Integer.MIN_VALUE);
        if (title.isEmpty() && detail.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(titleScore >= detailScore
                ? new RankedEntry(entry, titleScore, title.get().positions())
                : new RankedEntry(entry, detailScore, new int[0]));
    }
}
