package org.r1wb.model.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.GradMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every block's autograd gradients against central finite differences, in float64 on tiny shapes. The scalar
 * checked is {@code Σ out · probe} with a fixed random probe, so every output element contributes with its own
 * weight. In float64 with step 1e-6 the truncation and rounding errors of a central difference are ~1e-9
 * relative, so a wrong backward formula (even a missing term) shows up many orders above the tolerance.
 */
class GradientCheckTest {

    private static final double STEP = 1e-6;
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-8;
    /** Coordinates probed per tensor: enough to catch a wrong formula, few enough to stay fast. */
    private static final int SAMPLES = 6;

    private final Random random = new Random(17);

    @BeforeEach
    void seed() {
        GradMode.offOnThisThread();
        Engine.getInstance().setRandomSeed(5);
    }

    @Test
    void rmsNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RmsNorm norm = init(new RmsNorm(8, 1e-5), manager, new Shape(2, 3, 8));
            check(manager, norm, x -> norm.forward(store(manager), new NDList(x), true).singletonOrThrow(),
                    randn(manager, 2, 3, 8));
        }
    }

    @Test
    void rotaryEmbeddingAtAnOffset() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RotaryEmbedding rotary = new RotaryEmbedding(8, 16, 10000.0);
            check(manager, rotary, x -> rotary.apply(x, 3), randn(manager, 2, 2, 5, 8));
        }
    }

    @Test
    void groupedQueryAttention() {
        ModelSpec spec = TinySpecs.tiny(); // 4 query heads sharing 2 key/value heads
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalSelfAttention attention = init(new CausalSelfAttention(spec, 0), manager, new Shape(2, 5, 32));
            check(manager, attention, x -> attention.apply(store(manager), x, true), randn(manager, 2, 5, 32));
        }
    }

    @Test
    void swiGlu() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SwiGluMlp mlp = init(new SwiGluMlp(8, 12), manager, new Shape(6, 8));
            check(manager, mlp, x -> mlp.apply(store(manager), x, true), randn(manager, 6, 8));
        }
    }

    @ParameterizedTest
    @EnumSource(GateFunction.class)
    void router(GateFunction gate) {
        ModelSpec spec = TinySpecs.tiny(gate, Balancing.AUX_FREE);
        try (NDManager manager = NDManager.newBaseManager()) {
            Router router = init(new Router(32, spec.moe()), manager, new Shape(10, 32));
            check(manager, router, x -> {
                Routing routing = router.route(store(manager), x, true);
                return routing.weights().flatten().concat(routing.scores().flatten(), 0);
            }, randn(manager, 10, 32));
        }
    }

    @ParameterizedTest
    @EnumSource(GateFunction.class)
    void moeLayerWithItsBalanceLoss(GateFunction gate) {
        ModelSpec spec = TinySpecs.tiny(gate, Balancing.AUX_LOSS);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer moe = init(new MoeLayer(32, spec.moe()), manager, new Shape(2, 6, 32));
            check(manager, moe, x -> {
                NDList out = moe.apply(store(manager), x, true);
                return out.get(0).flatten().concat(out.get(1).reshape(1), 0);
            }, randn(manager, 2, 6, 32));
        }
    }

    @Test
    void denseAndMoeDecoderBlocks() {
        ModelSpec spec = TinySpecs.tiny(GateFunction.SIGMOID, Balancing.AUX_LOSS);
        for (int layer = 0; layer < spec.layers(); layer++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                DecoderBlock block = init(new DecoderBlock(spec, layer), manager, new Shape(2, 5, 32));
                check(manager, block, x -> {
                    NDList out = block.forward(store(manager), new NDList(x), true);
                    NDArray flat = out.get(0).flatten();
                    return out.size() > 1 ? flat.concat(out.get(1).reshape(1), 0) : flat;
                }, randn(manager, 2, 5, 32));
            }
        }
    }

    @Test
    void wholeLanguageModelLoss() {
        ModelSpec spec = TinySpecs.tiny(GateFunction.SOFTMAX, Balancing.AUX_LOSS);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = init(new MoeTransformer(spec), manager, new Shape(2, 6));
            long[] ids = new long[12];
            long[] targets = new long[12];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(spec.vocabSize());
                targets[i] = random.nextInt(spec.vocabSize());
            }
            NDArray idArray = manager.create(ids, new Shape(2, 6));
            NDArray targetArray = manager.create(targets, new Shape(2, 6));
            checkTensors(model, new ArrayList<>(), () -> {
                NDList out = model.apply(store(manager), idArray, true);
                return NextTokenLoss.mean(out.get(0), targetArray).add(out.get(1).mul(0.01));
            });
        }
    }

    /** Checks the gradient of {@code Σ f(x) · probe} with respect to {@code x} and to every parameter of {@code block}. */
    private void check(NDManager manager, AbstractBlock block, Function<NDArray, NDArray> f, NDArray x) {
        NDArray probe = randn(manager, f.apply(x).getShape().getShape());
        List<Pair<String, NDArray>> tensors = new ArrayList<>();
        tensors.add(new Pair<>("input", x));
        checkTensors(block, tensors, () -> f.apply(x).mul(probe).sum());
    }

    /** Checks the gradient of the scalar {@code loss} with respect to {@code tensors} and every parameter of {@code block}. */
    private void checkTensors(AbstractBlock block, List<Pair<String, NDArray>> tensors,
                              Supplier<NDArray> loss) {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            if (entry.getValue().requiresGradient()) {
                tensors.add(new Pair<>(entry.getKey(), entry.getValue().getArray()));
            }
        }
        for (Pair<String, NDArray> tensor : tensors) {
            tensor.getValue().setRequiresGradient(true);
        }
        List<double[]> analytic = new ArrayList<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss.get());
        }
        for (Pair<String, NDArray> tensor : tensors) {
            analytic.add(tensor.getValue().getGradient().toDoubleArray());
        }
        int checked = 0;
        for (int t = 0; t < tensors.size(); t++) {
            NDArray value = tensors.get(t).getValue();
            int size = Math.toIntExact(value.size());
            for (int s = 0; s < Math.min(SAMPLES, size); s++) {
                int index = random.nextInt(size);
                double numeric = centralDifference(value, index, loss);
                double expected = analytic.get(t)[index];
                assertThat(Math.abs(expected - numeric))
                        .as("d loss / d %s[%d]: autograd %.10g, finite difference %.10g", tensors.get(t).getKey(), index,
                                expected, numeric)
                        .isLessThanOrEqualTo(ATOL + RTOL * Math.max(Math.abs(expected), Math.abs(numeric)));
                checked += Math.abs(numeric) > 1e-6 ? 1 : 0;
            }
        }
        assertThat(checked).as("coordinates with a non-trivial gradient").isGreaterThan(tensors.size());
    }

    private static double centralDifference(NDArray value, int index, Supplier<NDArray> loss) {
        double[] bump = new double[Math.toIntExact(value.size())];
        bump[index] = STEP;
        try (NDArray delta = value.getManager().create(bump, value.getShape())) {
            value.addi(delta);
            double plus = scalar(loss);
            value.subi(delta).subi(delta);
            double minus = scalar(loss);
            value.addi(delta);
            return (plus - minus) / (2 * STEP);
        }
    }

    private static double scalar(Supplier<NDArray> loss) {
        try (NDArray value = loss.get()) {
            return value.getDouble();
        }
    }

    /** Initialises {@code block} in float64 with weights large enough that every nonlinearity is exercised. */
    private static <B extends AbstractBlock> B init(B block, NDManager manager, Shape input) {
        block.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.OTHER);
        block.initialize(manager, DataType.FLOAT64, input);
        return block;
    }

    private static ParameterStore store(NDManager manager) {
        return new ParameterStore(manager, false);
    }

    private NDArray randn(NDManager manager, long... shape) {
        double[] values = new double[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return manager.create(values, new Shape(shape));
    }
}
