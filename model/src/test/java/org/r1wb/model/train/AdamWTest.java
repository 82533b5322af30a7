package org.r1wb.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.TinySpecs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused update against AdamW written out in double precision, clipping and decay groups included. */
class AdamWTest {

    private static final OptimizerSpec SPEC = new OptimizerSpec(1e-2, 1e-3, 0.1, 0.9, 0.95, 0, 0.5);

    @Test
    void twoStepsMatchTheTextbookUpdateWithClippingAndDecayOnMatricesOnly() {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(), manager, 3);
            ParameterStore store = new ParameterStore(manager, false);
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> entry : model.getParameters()) {
                if (entry.getValue().requiresGradient()) {
                    params.add(entry.getValue());
                }
            }
            int n = params.size();
            double[][] m = new double[n][];
            double[][] v = new double[n][];
            try (AdamW optimizer = new AdamW(model, SPEC, manager)) {
                for (int step = 1; step <= 2; step++) {
                    backward(model, store, manager, step);
                    double[][] w = new double[n][];
                    double[][] g = new double[n][];
                    double sumOfSquares = 0;
                    for (int p = 0; p < n; p++) {
                        w[p] = doubles(params.get(p).getArray());
                        g[p] = doubles(params.get(p).getArray().getGradient());
                        for (double x : g[p]) {
                            sumOfSquares += x * x;
                        }
                    }
                    double norm = Math.sqrt(sumOfSquares);
                    double lr = step * 1e-2;
                    assertThat(optimizer.step(lr)).isCloseTo(norm, within(norm * 1e-5));
                    assertThat(norm).as("the clip is active").isGreaterThan(SPEC.gradClip());
                    double scale = SPEC.gradClip() / (norm + 1e-6);
                    for (int p = 0; p < n; p++) {
                        boolean decays = params.get(p).getArray().getShape().dimension() >= 2;
                        m[p] = m[p] == null ? new double[g[p].length] : m[p];
                        v[p] = v[p] == null ? new double[g[p].length] : v[p];
                        float[] actual = params.get(p).getArray().toFloatArray();
                        for (int i = 0; i < g[p].length; i++) {
                            double grad = g[p][i] * scale;
                            m[p][i] = 0.9 * m[p][i] + 0.1 * grad;
                            v[p][i] = 0.95 * v[p][i] + 0.05 * grad * grad;
                            double mHat = m[p][i] / (1 - Math.pow(0.9, step));
                            double vHat = v[p][i] / (1 - Math.pow(0.95, step));
                            double expected = w[p][i] * (decays ? 1 - lr * SPEC.weightDecay() : 1)
                                    - lr * mHat / (Math.sqrt(vHat) + 1e-8);
                            assertThat((double) actual[i]).as("%s[%d] after step %d", params.get(p).getName(), i, step)
                                    .isCloseTo(expected, within(1e-6 + 1e-5 * Math.abs(expected)));
                        }
                        assertThat(maxAbs(params.get(p).getArray().getGradient())).as("gradient zeroed").isZero();
                    }
                }
                assertThat(optimizer.stepCount()).isEqualTo(2);
            }
        }
    }

    /** Accumulates the gradient of a next-token loss on a random batch into the model's parameters. */
    private static void backward(MoeTransformer model, ParameterStore store, NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = random.ints(2 * 9, 0, 64).toArray();
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray tokens = step.create(ids, new Shape(2, 9)).toType(DataType.INT64, false);
            NDArray inputs = tokens.get(":, :8");
            NDArray targets = tokens.get(":, 1:");
            collector.backward(NextTokenLoss.mean(model.apply(store, inputs, true).get(0), targets));
        }
    }

    private static double[] doubles(NDArray array) {
        float[] values = array.toFloatArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double maxAbs(NDArray array) {
        double max = 0;
        for (float value : array.toFloatArray()) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }
}
