package org.r1wb.model.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The sparse dispatch must compute exactly what running every expert on every token, masked by the gate, does. */
class MoeLayerTest {

    @ParameterizedTest
    @EnumSource(GateFunction.class)
    void sparseDispatchEqualsDenseReferenceInValueAndGradient(GateFunction gate) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(gate, Balancing.AUX_FREE), manager, 7);
            MoeLayer moe = model.moeLayers().get(0).moe();
            // a non-zero bias makes selection differ from pure score ranking, which the reference must follow too
            moe.router().updateBias(new long[] {9, 0, 3, 1}, 0.05);
            ParameterStore store = new ParameterStore(manager, false);
            Random random = new Random(3);
            float[] input = new float[2 * 12 * 32];
            float[] probe = new float[input.length];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
                probe[i] = (float) random.nextGaussian();
            }

            float[] sparseOut;
            List<float[]> sparseGrads;
            try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.create(input, new Shape(2, 12, 32));
                NDArray y = moe.apply(store, x, true).get(0);
                collector.backward(y.mul(step.create(probe, y.getShape())).sum());
                sparseOut = y.toFloatArray();
            }
            sparseGrads = takeGradients(moe);

            float[] denseOut;
            try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.create(input, new Shape(2, 12, 32));
                NDArray y = denseReference(moe, store, x);
                collector.backward(y.mul(step.create(probe, y.getShape())).sum());
                denseOut = y.toFloatArray();
            }
            List<float[]> denseGrads = takeGradients(moe);

            assertThat(sparseOut).containsExactly(denseOut, within(1e-5f));
            assertThat(sparseGrads).hasSameSizeAs(denseGrads);
            double maxGrad = 0;
            for (int p = 0; p < sparseGrads.size(); p++) {
                assertThat(sparseGrads.get(p)).containsExactly(denseGrads.get(p), within(1e-5f));
                for (float g : sparseGrads.get(p)) {
                    maxGrad = Math.max(maxGrad, Math.abs(g));
                }
            }
            assertThat(maxGrad).as("gradients actually flowed").isGreaterThan(1e-3);
        }
    }

    /** Every expert on every token, combined with an (N, E) gate that is zero for unchosen experts. */
    private static NDArray denseReference(MoeLayer moe, ParameterStore store, NDArray x) {
        NDArray flat = x.reshape(-1, 32);
        Routing routing = moe.router().route(store, flat, true);
        int e = moe.experts().size();
        long[] chosen = routing.experts();
        NDArray oneHot = x.getManager().create(chosen, new Shape(flat.getShape().get(0), 2)).oneHot(e); // (N, K, E)
        NDArray gate = oneHot.mul(routing.weights().expandDims(-1)).sum(new int[] {1});               // (N, E)
        NDArray out = moe.shared().apply(store, flat, true);
        for (int i = 0; i < e; i++) {
            NDArray column = gate.get(":, {}:{}", i, i + 1);                                            // (N, 1)
            out = out.add(moe.experts().get(i).apply(store, flat, true).mul(column));
        }
        return out.reshape(x.getShape());
    }

    private static List<float[]> takeGradients(MoeLayer moe) {
        List<float[]> grads = new ArrayList<>();
        for (Pair<String, Parameter> entry : moe.getParameters()) {
            NDArray value = entry.getValue().getArray();
            if (value.hasGradient()) {
                try (NDArray grad = value.getGradient()) {
                    grads.add(grad.toFloatArray());
                    grad.subi(grad);
                }
            }
        }
        return grads;
    }
}
