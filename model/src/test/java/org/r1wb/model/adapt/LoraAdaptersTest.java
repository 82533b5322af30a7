package org.r1wb.model.adapt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.train.GradMode;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoraAdaptersTest {

    private static final long[] IDS = {3, 17, 42, 8, 25, 60, 11};

    @Test
    void theAdaptersGradientsAreTheLossGradientWithRespectToAAndB(@TempDir Path dir) throws Exception {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(), manager, 1);
            try (LoraAdapters adapters = LoraAdapters.attach(model, new LoraSpec(2, 8, List.of("q_proj", "down_proj")),
                    manager, 5)) {
                String path = adapters.paths().get(0);
                assertThat(path).isEqualTo("layer0.attention.q_proj");
                // B starts at zero, where ∂L/∂A is zero too: move it so both gradients are worth checking
                set(adapters.b(path), random(adapters.b(path).getShape(), 2, 9), manager);
                adapters.merge();
                ParameterStore store = new ParameterStore(manager, false);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(loss(model, store, manager));
                }
                adapters.backward();
                assertThat(model.getParameters().get(0).getValue().getArray().getGradient().abs().max().getFloat())
                        .as("the frozen model's gradients are cleared").isEqualTo(0f);
                for (NDArray weights : new NDArray[] {adapters.a(path), adapters.b(path)}) {
                    float[] analytic = weights.getGradient().toFloatArray();
                    float[] values = weights.toFloatArray();
                    int largest = 0;
                    for (int i = 1; i < analytic.length; i++) {
                        largest = Math.abs(analytic[i]) > Math.abs(analytic[largest]) ? i : largest;
                    }
                    for (int i : new int[] {largest, 0, analytic.length - 1}) {
                        double eps = 1e-2;
                        double[] sides = new double[2];
                        for (int side = 0; side < 2; side++) {
                            float[] moved = values.clone();
                            moved[i] += (float) (side == 0 ? eps : -eps);
                            set(weights, moved, manager);
                            adapters.merge();
                            sides[side] = loss(model, store, manager).getFloat();
                        }
                        set(weights, values, manager);
                        double numeric = (sides[0] - sides[1]) / (2 * eps);
                        assertThat((double) analytic[i]).as("entry %d", i)
                                .isCloseTo(numeric, within(5e-5 + 0.02 * Math.abs(numeric)));
                    }
                    // well above the float32 finite-difference noise (~2e-5), so the comparisons above can tell
                    assertThat(Math.abs(analytic[largest])).isGreaterThan(5e-4f);
                }
            }
        }
    }

    @Test
    void attachingChangesNothingAndRestoringTheBaseGivesItsBitsBack(@TempDir Path dir) throws Exception {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(), manager, 1);
            ParameterStore store = new ParameterStore(manager, false);
            float[] before = loss(model, store, manager).toFloatArray();
            LoraSpec spec = new LoraSpec(4, 8, List.of("v_proj", "gate_proj"));
            try (LoraAdapters adapters = LoraAdapters.attach(model, spec, manager, 5)) {
                adapters.merge();
                assertThat(loss(model, store, manager).toFloatArray()).containsExactly(before);
                String path = adapters.paths().get(0);
                set(adapters.b(path), random(adapters.b(path).getShape(), 0.5, 2), manager);
                adapters.merge();
                assertThat(loss(model, store, manager).getFloat()).isNotEqualTo(before[0]);
                adapters.save(dir.resolve("adapter"));
                adapters.restoreBase();
                assertThat(loss(model, store, manager).toFloatArray()).containsExactly(before);

                MoeTransformer other = MoeTransformer.create(TinySpecs.tiny(), manager, 1);
                try (LoraAdapters loaded = LoraAdapters.attach(other, spec, manager, 77)) {
                    loaded.load(dir.resolve("adapter"));
                    assertThat(loaded.b(path).toFloatArray()).containsExactly(adapters.b(path).toFloatArray());
                    assertThat(loaded.a(path).toFloatArray()).containsExactly(adapters.a(path).toFloatArray());
                }
            }
        }
    }

    @Test
    void aBadSpecIsReportedWithPathAndFix() {
        List<SpecProblem> problems = new LoraSpec(0, -1, List.of("q_proj", "qproj")).problems("lora");
        assertThat(problems).extracting(SpecProblem::path).containsExactly("lora.rank", "lora.alpha",
                "lora.targets[1]");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(new LoraSpec(8, 16, List.of("q_proj")).problems("lora")).isEmpty();
        assertThat(new LoraSpec(8, 16, List.of()).problems("lora")).extracting(SpecProblem::path)
                .containsExactly("lora.targets");
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(), manager, 1);
            assertThatThrownBy(() -> LoraAdapters.attach(model, new LoraSpec(2, 2, List.of("lm_head")), manager, 1))
                    .hasMessageContaining("no weight of the model is named [lm_head]");
        }
    }

    private static NDArray loss(MoeTransformer model, ParameterStore store, NDManager manager) {
        NDArray ids = manager.create(IDS, new Shape(1, IDS.length - 1 + 1)).get(":, :-1");
        NDArray targets = manager.create(IDS, new Shape(1, IDS.length)).get(":, 1:");
        return NextTokenLoss.mean(model.apply(store, ids, false).get(0), targets);
    }

    private static void set(NDArray target, float[] values, NDManager manager) {
        manager.create(values, target.getShape()).copyTo(target);
    }

    private static float[] random(Shape shape, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }
}
