package org.r1wb.pipeline.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityFilterTest {

    private final QualityFilter filter = new QualityFilter(
            new QualityFilter.Thresholds(20, 400, 3.0, 0.3, 2, 0.2, 0.1));

    @Test
    void entropyOfKnownDistributions() {
        assertThat(QualityFilter.entropy("aaaaaaaa")).isEqualTo(0.0);
        assertThat(QualityFilter.entropy("abababab")).isCloseTo(1.0, within(1e-12));
        assertThat(QualityFilter.entropy("abcdabcd")).isCloseTo(2.0, within(1e-12));
        assertThat(QualityFilter.entropy("东京东京")).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void eachCheckNamesItself() {
        assertThat(filter.check("short")).contains(QualityFilter.TOO_SHORT);
        assertThat(filter.check("long text ".repeat(50))).contains(QualityFilter.TOO_LONG);
        assertThat(filter.check("=-=-=-=-=-=-=-=-=-=-=-=-=-=-")).contains(QualityFilter.LOW_ENTROPY);
        assertThat(filter.check("Subscribe to our newsletter today\nSubscribe to our newsletter today\n"
                + "Subscribe to our newsletter today\nThe experts route tokens"))
                .contains(QualityFilter.DUPLICATE_LINES);
        assertThat(filter.check("buy cheap pills buy cheap pills buy cheap pills now from the best shop"))
                .contains(QualityFilter.REPEATED_NGRAM);
        assertThat(filter.check("# Title ## Section ### More # Tags # Here and some words here"))
                .contains(QualityFilter.SYMBOLS);
    }

    @Test
    void ordinaryProsePasses() {
        Optional<String> verdict = filter.check("A mixture-of-experts layer routes every token to two of "
                + "its experts, and a shared expert sees all tokens.\nThe router is trained with an auxiliary "
                + "loss that keeps the load balanced.");
        assertThat(verdict).isEmpty();
    }

    @Test
    void topNgramFractionCountsEveryOccurrence() {
        String[] words = QualityFilter.words("ab cd ab cd ef");
        // "ab cd" occurs twice and covers 2 × 4 of the 10 word characters
        assertThat(QualityFilter.topNgramFraction(words, 2)).isCloseTo(0.8, within(1e-12));
        assertThat(QualityFilter.topNgramFraction(QualityFilter.words("one two three four"), 2)).isZero();
    }
}
