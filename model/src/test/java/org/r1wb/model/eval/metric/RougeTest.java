package org.r1wb.model.eval.metric;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reference figures from Google's rouge-score tests, {@code rouge/rouge_scorer_test.py} of
 * github.com/google-research/google-research (commit 066e6a12a3817e45919458090102abfc0a09d287), whose
 * "ground truth" for the two long lines comes from manual runs of the original ROUGE-1.5.5 Perl script
 * (its {@code testdata/target.txt} and {@code prediction.txt}, first two lines, quoted below).
 */
class RougeTest {

    private static final String TARGET_0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing "
            + "Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L";
    private static final String PREDICTION_0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl "
            + "jB-RPP'iyOIcUxi";
    private static final String TARGET_1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion "
            + "psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing "
            + "UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN";
    private static final String PREDICTION_1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier "
            + "LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD";

    @Test
    void shortExamplesMatch() {
        Rouge.Score one = Rouge.rougeN("testing one two", "testing", 1);
        assertThat(one.precision()).isCloseTo(1, within(1e-9));
        assertThat(one.recall()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(one.fmeasure()).isCloseTo(0.5, within(1e-9));
        Rouge.Score two = Rouge.rougeN("testing one two", "testing one", 2);
        assertThat(two.recall()).isCloseTo(0.5, within(1e-9));
        assertThat(two.fmeasure()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(Rouge.rougeL("testing one two", "testing two").fmeasure()).isCloseTo(0.8, within(1e-9));
        assertThat(Rouge.rougeL("testing one two", "").fmeasure()).isZero();
    }

    @Test
    void matchesRouge155OnTheReferenceLines() {
        assertScore(Rouge.rougeN(TARGET_0, PREDICTION_0, 1), 0.68750, 0.40741, 0.51163);
        assertScore(Rouge.rougeN(TARGET_1, PREDICTION_1, 1), 0.65385, 0.40476, 0.50000);
        assertScore(Rouge.rougeN(TARGET_0, PREDICTION_0, 2), 0.53333, 0.30769, 0.39024);
        assertScore(Rouge.rougeN(TARGET_1, PREDICTION_1, 2), 0.48000, 0.29268, 0.36364);
        assertScore(Rouge.rougeL(TARGET_0, PREDICTION_0), 0.68750, 0.40741, 0.51163);
        assertScore(Rouge.rougeL(TARGET_1, PREDICTION_1), 0.65385, 0.40476, 0.50000);
    }

    @Test
    void theMetricsAverageF1OverDocumentsWithAStandardError() {
        List<Sample> samples = List.of(
                Sample.generated(List.of(TARGET_0), List.of(PREDICTION_0), List.of(PREDICTION_0), null),
                Sample.generated(List.of(TARGET_1), List.of(PREDICTION_1), List.of(PREDICTION_1), null));
        MetricValue rouge1 = new Rouge.One().compute(samples, Map.of());
        assertThat(rouge1.name()).isEqualTo("rouge1");
        assertThat(rouge1.value()).isCloseTo((0.51163 + 0.5) / 2, within(1e-5));
        assertThat(rouge1.stderr()).isCloseTo(Math.abs(0.51163 - 0.5) / 2, within(1e-5));
        assertThat(new Rouge.Two().compute(samples, Map.of()).value()).isCloseTo((0.39024 + 0.36364) / 2, within(1e-5));
        assertThat(new Rouge.L().compute(samples, Map.of()).name()).isEqualTo("rougeL");
    }

    private static void assertScore(Rouge.Score score, double precision, double recall, double f) {
        assertThat(score.precision()).isCloseTo(precision, within(5e-6));
        assertThat(score.recall()).isCloseTo(recall, within(5e-6));
        assertThat(score.fmeasure()).isCloseTo(f, within(5e-6));
    }
}
