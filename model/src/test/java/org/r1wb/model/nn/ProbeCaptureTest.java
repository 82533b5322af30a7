package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.r1wb.model.spec.ModelSpec;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A probe pass captures exactly the attention and routing the blocks compute, and changes nothing else. */
class ProbeCaptureTest {

    private static final int T = 7;

    @Test
    void capturedAttentionIsTheCausalSoftmaxRecomputedFromTheBlocksWeights() {
        ModelSpec spec = TinySpecs.tiny();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec, manager, 5);
            CausalSelfAttention attention = model.blocks().get(1).attention();
            ParameterStore store = new ParameterStore(manager, false);
            // large inputs give peaked attention at init (weights are ~0.02), so the cells differ from 1/(q+1)
            float[] input = gaussian(T * spec.dModel(), 9);
            for (int i = 0; i < input.length; i++) {
                input[i] *= 25;
            }
            ProbeCapture capture = new ProbeCapture(spec.layers());
            try (NDManager step = manager.newSubManager()) {
                attention.apply(store, step.create(input, new Shape(1, T, spec.dModel())), capture.layer(1));
            }
            float[][][] captured = capture.attention(1);

            double[][][] expected = referenceAttention(spec, input,
                    weight(attention, "q_proj"), weight(attention, "k_proj"));
            assertThat(captured.length).isEqualTo(spec.heads());
            for (int h = 0; h < spec.heads(); h++) {
                for (int q = 0; q < T; q++) {
                    double rowSum = 0;
                    for (int k = 0; k < T; k++) {
                        assertThat((double) captured[h][q][k]).as("head %d, query %d, key %d", h, q, k)
                                .isCloseTo(expected[h][q][k], within(1e-5));
                        if (k > q) {
                            assertThat(captured[h][q][k]).as("no key after the query").isZero();
                        }
                        rowSum += captured[h][q][k];
                    }
                    assertThat(rowSum).isCloseTo(1.0, within(1e-5));
                }
            }
            assertThat(capture.attention(0)).as("layers not run stay empty").isNull();
            double farthestFromUniform = 0;
            for (float[][] head : captured) {
                for (int q = 0; q < T; q++) {
                    for (int k = 0; k <= q; k++) {
                        farthestFromUniform = Math.max(farthestFromUniform, Math.abs(head[q][k] - 1.0 / (q + 1)));
                    }
                }
            }
            assertThat(farthestFromUniform).isGreaterThan(0.05);
        }
    }

    @Test
    void capturedRoutingIsTheRoutersScoresAndTheTopKOfScorePlusBias() {
        ModelSpec spec = TinySpecs.tiny();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec, manager, 5);
            MoeLayer moe = model.blocks().get(1).moe();
            // a bias strong enough to overturn some score rankings, so top-k of the scores alone would fail
            moe.router().updateBias(new long[] {50, 0, 0, 50}, 0.2);
            ParameterStore store = new ParameterStore(manager, false);
            float[] input = gaussian(T * spec.dModel(), 4);
            ProbeCapture capture = new ProbeCapture(spec.layers());
            float[] scores;
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(input, new Shape(1, T, spec.dModel()));
                moe.apply(store, x, false, capture.layer(1));
                scores = moe.router().route(store, x.reshape(T, spec.dModel()), false).scores().toFloatArray();
            }
            ProbeRouting routing = capture.routing(1);
            float[] bias = moe.router().selectionBias();
            int e = spec.moe().routedExperts();
            int topK = spec.moe().topK();
            assertThat(routing.tokens()).isEqualTo(T);
            assertThat(routing.experts()).isEqualTo(e);
            boolean biasChangedAChoice = false;
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < e; i++) {
                    assertThat(routing.scores()[t][i]).isCloseTo(scores[t * e + i], within(1e-6f));
                }
                int[] byRanking = topK(routing.scores()[t], bias, topK);
                assertThat(routing.chosen()[t]).as("token %d", t).containsExactly(byRanking);
                biasChangedAChoice |= !Arrays.equals(byRanking, topK(routing.scores()[t], new float[e], topK));
                for (int k = 0; k < topK; k++) {
                    assertThat(routing.weights()[t][k]).isEqualTo(routing.scores()[t][routing.chosen()[t][k]]);
                }
            }
            assertThat(biasChangedAChoice).as("the bias mattered for at least one token").isTrue();
        }
    }

    @Test
    void aProbePassFillsEveryLayerAndLeavesTheLogitsAsAPlainPass() {
        ModelSpec spec = TinySpecs.tiny();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec, manager, 5);
            ParameterStore store = new ParameterStore(manager, false);
            int[] ids = {3, 17, 42, 8, 8, 60, 1};
            ProbeCapture capture = new ProbeCapture(spec.layers());
            float[] probed;
            float[] plain;
            try (NDManager step = manager.newSubManager()) {
                NDArray tokens = step.create(ids, new Shape(1, T)).toType(DataType.INT64, false);
                NDList out = model.apply(store, tokens, capture);
                probed = out.get(0).toFloatArray();
                plain = model.apply(store, tokens, false).get(0).toFloatArray();
            }
            assertThat(probed).containsExactly(plain, within(1e-6f));
            for (int layer = 0; layer < spec.layers(); layer++) {
                assertThat(capture.attention(layer)).hasDimensions(spec.heads(), T);
            }
            assertThat(capture.routing(0)).as("layer 0 is dense").isNull();
            assertThat(capture.routing(1).chosen()).hasNumberOfRows(T);
        }
    }

    /** softmax(QKᵀ/√hd + causal mask) per head, in doubles, with rotary positions and grouped key heads. */
    private static double[][][] referenceAttention(ModelSpec spec, float[] x, float[] wq, float[] wk) {
        int d = spec.dModel();
        int hd = spec.headDim();
        int group = spec.heads() / spec.kvHeads();
        double[][][] out = new double[spec.heads()][T][T];
        for (int h = 0; h < spec.heads(); h++) {
            double[][] q = rotate(project(x, wq, h, d, hd), hd, spec.ropeTheta());
            double[][] k = rotate(project(x, wk, h / group, d, hd), hd, spec.ropeTheta());
            for (int i = 0; i < T; i++) {
                double max = Double.NEGATIVE_INFINITY;
                double[] s = new double[i + 1];
                for (int j = 0; j <= i; j++) {
                    for (int c = 0; c < hd; c++) {
                        s[j] += q[i][c] * k[j][c];
                    }
                    s[j] /= Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    out[h][i][j] = s[j] / sum;
                }
            }
        }
        return out;
    }

    /** Rows {@code head·hd …} of a weight stored (out, in), applied to each position of x (T, D). */
    private static double[][] project(float[] x, float[] w, int head, int d, int hd) {
        double[][] out = new double[T][hd];
        for (int t = 0; t < T; t++) {
            for (int c = 0; c < hd; c++) {
                for (int i = 0; i < d; i++) {
                    out[t][c] += (double) x[t * d + i] * w[(head * hd + c) * d + i];
                }
            }
        }
        return out;
    }

    /** RoPE, "rotate half" pairing: (v_i, v_{i+P}) turned by pos · θ^(−2i/hd). */
    private static double[][] rotate(double[][] v, int hd, double theta) {
        int pairs = hd / 2;
        double[][] out = new double[T][hd];
        for (int pos = 0; pos < T; pos++) {
            for (int i = 0; i < pairs; i++) {
                double angle = pos / Math.pow(theta, 2.0 * i / hd);
                double a = v[pos][i];
                double b = v[pos][i + pairs];
                out[pos][i] = a * Math.cos(angle) - b * Math.sin(angle);
                out[pos][i + pairs] = a * Math.sin(angle) + b * Math.cos(angle);
            }
        }
        return out;
    }

    private static int[] topK(float[] scores, float[] bias, int k) {
        int[] top = new int[k];
        boolean[] taken = new boolean[scores.length];
        for (int slot = 0; slot < k; slot++) {
            int best = -1;
            for (int e = 0; e < scores.length; e++) {
                if (!taken[e] && (best < 0 || scores[e] + bias[e] > scores[best] + bias[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            top[slot] = best;
        }
        return top;
    }

    private static float[] weight(CausalSelfAttention attention, String name) {
        return attention.getParameters().get(name).getArray().toFloatArray();
    }

    private static float[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
