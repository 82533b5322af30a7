package org.r1wb.model.eval.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reference figures from sacreBLEU's own tests, {@code test/test_bleu.py} of github.com/mjpost/sacrebleu
 * (commit 2ae13669da7225533712cb839e70b169336caadf): the README example, the n-gram statistics case, the
 * scoring case, the offset (floor) cases and the effective-order cases.
 */
class BleuTest {

    private static final double EPSILON = 1e-6;

    /** The README example: three hypotheses, two reference streams. */
    private static final List<String> HYPS = List.of("The dog bit the man.", "It wasn't surprising.",
            "The man had just bitten him.");
    private static final List<List<String>> REFS = List.of(
            List.of("The dog bit the man.", "The dog had bit the man."),
            List.of("It was not unexpected.", "No one was surprised."),
            List.of("The man bit him first.", "The man had bitten the dog."));

    /** sacreBLEU's {@code raw_corpus_bleu}: no tokenisation, floor smoothing, effective order. */
    private static Bleu.Options raw(double floor) {
        return new Bleu.Options(Bleu.Smoothing.FLOOR, floor, false, true);
    }

    @Test
    void readmeExampleMatchesSacreBleuDefaults() {
        assertThat(Bleu.corpus(HYPS, REFS, Bleu.Options.defaults())).isCloseTo(48.530827, within(EPSILON));
        assertThat(Bleu.corpus(HYPS, REFS, new Bleu.Options(Bleu.Smoothing.NONE, 0, true, false)))
                .isCloseTo(48.530827, within(EPSILON));
        assertThat(Bleu.corpus(HYPS, REFS, new Bleu.Options(Bleu.Smoothing.EXP, 0, false, false)))
                .as("tokenize='none'").isCloseTo(49.1919566, within(EPSILON));
    }

    @Test
    void emptyHypothesesScoreZero() {
        assertThat(Bleu.corpus(List.of("", "", ""), REFS, Bleu.Options.defaults())).isZero();
    }

    @Test
    void ngramStatisticsMatch() {
        Bleu.Counts counts = Bleu.counts("am I am a character sequence", List.of("I am a symbol string sequence a a"), raw(0.1));
        assertThat(counts.correct()).containsExactly(4, 2, 1, 0);
        assertThat(counts.total()).containsExactly(6, 5, 4, 3);
    }

    @Test
    void scoringFromStatisticsMatches() {
        Bleu.Counts counts = new Bleu.Counts(new long[] {9, 7, 5, 3}, new long[] {10, 8, 6, 4}, 11, 11);
        assertThat(Bleu.score(counts, new Bleu.Options(Bleu.Smoothing.EXP, 0, true, false)) / 100)
                .isCloseTo(0.8375922397, within(1e-8));
    }

    @Test
    void floorSmoothingAndEffectiveOrderMatch() {
        String hyp = "am I am a character sequence";
        List<String> ref = List.of("I am a symbol string sequence a a");
        assertThat(Bleu.corpus(List.of(hyp), List.of(ref), raw(0.1)) / 100).isCloseTo(0.1555722182, within(1e-8));
        assertThat(Bleu.corpus(List.of(hyp), List.of(ref), raw(0.0)) / 100).isZero();

        assertThat(Bleu.corpus(List.of("test"), List.of(List.of("a test")), raw(0.01)) / 100)
                .isCloseTo(0.3678794411714425, within(1e-8));
        assertThat(Bleu.corpus(List.of("a test"), List.of(List.of("a test")), raw(0.01)) / 100)
                .isCloseTo(1.0, within(1e-8));
        assertThat(Bleu.corpus(List.of("a little test"), List.of(List.of("a test")), raw(0.01)) / 100)
                .isCloseTo(0.03218297948685433, within(1e-8));
        assertThat(Bleu.corpus(List.of("this is a test", "another test"), List.of(List.of("ref1"), List.of("ref2")),
                raw(0.01)) / 100).isCloseTo(0.003799178428257963, within(1e-8));
        assertThat(Bleu.corpus(List.of("this is a fest"), List.of(List.of("this is a test")), raw(0.01)) / 100)
                .isCloseTo(0.223606797749979, within(1e-8));
    }

    @Test
    void tokenizer13aSplitsPunctuationButKeepsNumbers() {
        assertThat(Tokenizer13a.tokenize("It wasn't 3.5, (really)!")).containsExactly("It", "wasn't", "3.5", ",", "(", "really", ")", "!");
        assertThat(Tokenizer13a.tokenize("1,000 and 10-20 &amp; more.")).containsExactly("1,000", "and", "10", "-", "20", "&", "more", ".");
    }

    @Test
    void theMetricReportsABootstrapStandardError() {
        List<Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < HYPS.size(); i++) {
            samples.add(Sample.generated(REFS.get(i), List.of(HYPS.get(i)), List.of(HYPS.get(i)), null));
        }
        MetricValue value = new Bleu().compute(samples, java.util.Map.of());
        assertThat(value.value()).isCloseTo(48.530827, within(EPSILON));
        assertThat(value.stderr()).isGreaterThan(0).isLessThan(60);
    }
}
