package org.r1wb.model.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.r1wb.model.spec.ModelSpec;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The TorchScript kernels against the step-by-step DJL computations they replace: exact (to fp32 rounding) in fp32,
 * and within bf16's precision, yet visibly rounded, under {@link Autocast}.
 */
class ScriptKernelsTest {

    private static final ModelSpec SPEC = TinySpecs.tiny();

    @Test
    void fusedAttentionEqualsTheStepByStepPathInValueAndGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(SPEC, manager, 5);
            CausalSelfAttention attention = model.blocks().get(0).attention();
            ParameterStore store = new ParameterStore(manager, false);
            float[] input = gaussian(12 * SPEC.dModel(), 1);
            // no cache and no capture: the fused kernel; a probe capture forces the step-by-step path
            Pass fused = pass(manager, input, x -> attention.apply(store, x, true));
            Pass stepwise = pass(manager, input, x -> attention.apply(store, x,
                    new ProbeCapture(SPEC.layers()).layer(0)));
            assertThat(fused.output).containsExactly(stepwise.output, within(1e-5f));
            assertThat(fused.inputGradient).containsExactly(stepwise.inputGradient, within(1e-5f));
            assertThat(maxAbs(fused.inputGradient)).as("gradients flowed").isGreaterThan(1e-4);
        }
    }

    @Test
    void bf16AutocastRoundsTheProductsButStaysWithinBf16Precision() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(SPEC, manager, 5);
            ParameterStore store = new ParameterStore(manager, false);
            float[] input = gaussian(12 * SPEC.dModel(), 2);
            DecoderBlock moeBlock = model.blocks().get(1);
            Function<NDArray, NDArray> layer = x -> moeBlock.apply(store, x, true, (KvCache.Layer) null).get(0);
            Pass fp32 = pass(manager, input, layer);
            Pass bf16;
            try (Autocast autocast = Autocast.bf16(true)) {
                autocast.suppressNotUsedWarning();
                bf16 = pass(manager, input, layer);
            }
            assertThat(Autocast.isBf16()).as("the scope restored fp32").isFalse();
            double outputError = maxAbsDifference(bf16.output, fp32.output) / maxAbs(fp32.output);
            double gradientError = maxAbsDifference(bf16.inputGradient, fp32.inputGradient) / maxAbs(fp32.inputGradient);
            // bf16 keeps 8 significant bits: products are off by ~2^-9 relative, and never exactly fp32's
            assertThat(outputError).isGreaterThan(1e-6).isLessThan(2e-2);
            assertThat(gradientError).isGreaterThan(1e-6).isLessThan(5e-2);
        }
    }

    @Test
    void gradNormIsTheNormOfAllGradientsTogether() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] a = gaussian(30, 3);
            float[] b = gaussian(7, 4);
            double expected = 0;
            for (float v : a) {
                expected += v * v;
            }
            for (float v : b) {
                expected += v * v;
            }
            NDArray norm = ScriptKernels.get().gradNorm(List.of(manager.create(a, new Shape(5, 6)), manager.create(b)));
            assertThat(norm.getFloat()).isCloseTo((float) Math.sqrt(expected), within(1e-4f));
        }
    }

    /** One forward and backward of {@code layer} on {@code input} (1, T, D). */
    private static Pass pass(NDManager manager, float[] input,
                             Function<NDArray, NDArray> layer) {
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = step.create(input, new Shape(1, input.length / SPEC.dModel(), SPEC.dModel()));
            x.setRequiresGradient(true);
            NDArray y = layer.apply(x);
            NDArray probe = step.create(gaussian(input.length, 9), y.getShape());
            collector.backward(y.mul(probe).sum());
            return new Pass(y.toFloatArray(), x.getGradient().toFloatArray());
        }
    }

    private record Pass(float[] output, float[] inputGradient) {
    }

    private static float[] gaussian(int size, long seed) {
        Random random = new Random(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
