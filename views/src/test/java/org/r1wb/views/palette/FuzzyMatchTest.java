package org.r1wb.views.palette;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FuzzyMatchTest {

    @Test
    void lettersInOrderMatchAndOutOfOrderDoNot() {
        assertThat(FuzzyMatch.of("ntr", "New Training Run")).isPresent();
        assertThat(FuzzyMatch.of("rtn", "New Training Run")).isEmpty();
        assertThat(FuzzyMatch.of("xyz", "New Training Run")).isEmpty();
    }

    @Test
    void wordStartsArePreferredOverLettersInsideWords() {
        // the r of "Training" comes first, but the R that starts "Run" scores higher
        assertThat(FuzzyMatch.of("nr", "New Training Run").orElseThrow().positions()).containsExactly(0, 13);
        // adjacent letters beat a word start further on
        assertThat(FuzzyMatch.of("ntr", "New Training Run").orElseThrow().positions()).containsExactly(0, 4, 5);
    }

    @Test
    void aPrefixBeatsAScatteredMatch() {
        int prefix = FuzzyMatch.of("mod", "model.json").orElseThrow().score();
        int scattered = FuzzyMatch.of("mod", "my old document").orElseThrow().score();
        assertThat(prefix).isGreaterThan(scattered);
    }

    @Test
    void rankingPutsTitleMatchesFirstAndDropsNonMatches() {
        Runnable nothing = () -> { };
        PaletteEntry dark = new PaletteEntry("Setting", "Theme: Dark", "", "", null, nothing);
        PaletteEntry light = new PaletteEntry("Setting", "Theme: Light", "", "", null, nothing);
        PaletteEntry reload = new PaletteEntry("Action", "Reload", "File", "F5", null, nothing);
        PaletteEntry byDetail = new PaletteEntry("File", "sample", "dark.pipeline.json", "", null, nothing);

        List<PaletteEntry> ranked = RankedEntry.rank("dark", List.of(reload, byDetail, light, dark)).stream()
                .map(RankedEntry::entry).toList();

        assertThat(ranked).containsExactly(dark, byDetail);
    }
}
