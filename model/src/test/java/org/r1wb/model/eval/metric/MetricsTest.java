package org.r1wb.model.eval.metric;

import org.junit.jupiter.api.Test;
import org.r1wb.model.eval.task.OutputType;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    @Test
    void everyBuiltInIsRegisteredThroughTheServiceLoader() {
        assertThat(Metrics.builtIn().names()).contains("exact_match", "acc", "acc_norm", "perplexity", "bits_per_byte",
                "bleu", "rouge1", "rouge2", "rougeL", "pass_at_k");
    }

    /** C(n, k) exactly. */
    private static BigInteger choose(int n, int k) {
        BigInteger result = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            result = result.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return result;
    }

    @Test
    void plusAddsAPluginsMetricAndRefusesATakenName() {
        Metric constant = new Metric() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public Set<OutputType> accepts() {
                return Set.of(OutputType.GENERATE_UNTIL);
            }

            @Override
            public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
                return Stats.mean(name(), new double[] {1});
            }
        };
        Metrics more = Metrics.builtIn().plus(List.of(constant));

        assertThat(more.find("constant")).containsSame(constant);
        assertThat(more.names()).containsAll(Metrics.builtIn().names());
        assertThat(Metrics.builtIn().find("constant")).isEmpty();
        assertThatThrownBy(() -> more.plus(List.of(constant))).hasMessageContaining("'constant'");
    }

    @Test
    void passAtKEqualsTheClosedForm() {
        for (int n = 1; n <= 30; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    double closed = n - c < k ? 1.0 : 1.0 - new java.math.BigDecimal(choose(n - c, k))
                            .divide(new java.math.BigDecimal(choose(n, k)), java.math.MathContext.DECIMAL128).doubleValue();
                    assertThat(PassAtK.estimate(n, c, k)).as("n=%d c=%d k=%d", n, c, k).isCloseTo(closed, within(1e-12));
                }
            }
        }
        // Chen et al.: pass@1 is the fraction of passing samples
        assertThat(PassAtK.estimate(200, 37, 1)).isCloseTo(37 / 200.0, within(1e-12));
        assertThatThrownBy(() -> PassAtK.estimate(3, 1, 5)).hasMessageContaining("generation.samples");
    }

    @Test
    void passAtKAveragesProblemsWithAStandardError() {
        List<Sample> samples = List.of(
                Sample.generated(List.of(), List.of("a", "b", "c", "d"), List.of(), new boolean[] {true, false, false, false}),
                Sample.generated(List.of(), List.of("a", "b", "c", "d"), List.of(), new boolean[] {true, true, false, true}));
        MetricValue pass2 = new PassAtK().compute(samples, Map.of("k", 2));
        double first = 1 - 3.0 / 6;
        double second = 1.0;
        assertThat(pass2.name()).isEqualTo("pass@2");
        assertThat(pass2.value()).isCloseTo((first + second) / 2, within(1e-12));
        assertThat(pass2.stderr()).isCloseTo(Math.abs(second - first) / 2, within(1e-12));
    }

    @Test
    void exactMatchComparesTheExtractedAnswer() {
        List<Sample> samples = List.of(
                Sample.generated(List.of("7"), List.of("so #### 7"), List.of("7"), null),
                Sample.generated(List.of("8"), List.of("so #### 9"), List.of("9"), null),
                Sample.generated(List.of("5"), List.of("no answer"), java.util.Arrays.asList((String) null), null),
                Sample.generated(List.of("4"), List.of("#### 4"), List.of("4"), null));
        MetricValue em = new ExactMatch().compute(samples, Map.of());
        assertThat(em.value()).isEqualTo(0.5);
        assertThat(em.stderr()).isCloseTo(Math.sqrt(1.0 / 3) / 2, within(1e-12));
    }

    @Test
    void accNormDividesByByteLengthAndCanDisagreeWithAcc() {
        // choice 1 is long: its total nll is larger, its nll per byte smaller
        Sample question = Sample.choice(new double[] {3.0, 8.0}, new int[] {2, 20}, 1);
        assertThat(new Accuracy().compute(List.of(question), Map.of()).value()).isZero();
        assertThat(new AccuracyNorm().compute(List.of(question), Map.of()).value()).isEqualTo(1.0);
    }

    @Test
    void perplexityAndBitsPerByteOfAUniformModel() {
        // a uniform model over 256 symbols: every token costs ln 256 nats, perplexity is 256 whatever the lengths
        double ln256 = Math.log(256);
        List<Sample> samples = List.of(Sample.rolling(10 * ln256, 10, 10, 2), Sample.rolling(30 * ln256, 30, 60, 7));
        MetricValue ppl = new Perplexity().compute(samples, Map.of());
        assertThat(ppl.value()).isCloseTo(256, within(1e-9));
        assertThat(ppl.stderr()).isCloseTo(0, within(1e-9));
        // 40 tokens of 8 bits over 70 bytes
        assertThat(new BitsPerByte().compute(samples, Map.of()).value()).isCloseTo(40 * 8 / 70.0, within(1e-12));
        assertThat(new BitsPerByte().compute(samples, Map.of()).stderr()).isGreaterThan(0);
    }
}
