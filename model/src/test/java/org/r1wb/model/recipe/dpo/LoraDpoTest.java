package org.r1wb.model.recipe.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.adapt.LoraAdapters;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.export.ParameterPaths;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.TrainResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LoraDpoTest {

    private static final LoraSpec LORA = new LoraSpec(4, 8, List.of("q_proj", "v_proj", "out_proj", "up_proj",
            "down_proj"));

    @Test
    void onlyTheAdaptersTrainAndTheMergedWeightsAndOutputsAreBasePlusAdapter(@TempDir Path dir) throws Exception {
        List<PreferencePair> heldOut = DpoTest.pairs(16, 99);
        TrainResult result = DpoTest.stage(dir, 30, 10, heldOut, LORA).run(dir.resolve("run"), EventSink.NONE,
                () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        Path init = dir.resolve("init/final");
        Path adapterDir = dir.resolve("run").resolve(DpoStage.ADAPTERS).resolve(Checkpoints.FINAL);
        assertThat(adapterDir.resolve(LoraAdapters.WEIGHTS)).exists();
        // the adapters learned the preference (measured on the merged checkpoint, a plain model)
        assertThat(DpoTest.heldOutMargin(result.checkpoint(), heldOut))
                .isGreaterThan(DpoTest.heldOutMargin(init, heldOut) + 0.5);

        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> base = ParameterPaths.of(load(init, manager));
            Map<String, Parameter> merged = ParameterPaths.of(load(result.checkpoint(), manager));
            MoeTransformer adapted = load(init, manager);
            try (LoraAdapters adapters = LoraAdapters.attach(adapted, LORA, manager, 0)) {
                adapters.load(adapterDir);
                // q, v, out in both layers; up and down in the dense FFN, the 4 experts and the shared expert
                assertThat(adapters.paths()).hasSize(3 * 2 + 2 * (1 + 4 + 1));
                SplittableRandom random = new SplittableRandom(3);
                for (String path : base.keySet()) {
                    NDArray w0 = base.get(path).getArray();
                    NDArray w = merged.get(path).getArray();
                    if (!adapters.paths().contains(path)) {
                        assertThat(w.toFloatArray()).as(path).containsExactly(w0.toFloatArray());
                        continue;
                    }
                    // base bits untouched by training: the adapters' frozen copy is the init checkpoint's weight
                    assertThat(adapters.base(path).toFloatArray()).as(path).containsExactly(w0.toFloatArray());
                    NDArray a = adapters.a(path);                                        // (r, I)
                    NDArray b = adapters.b(path);                                        // (O, r)
                    NDArray x = manager.create(gaussian(random, 3 * w0.getShape().get(1)),
                            new Shape(3, w0.getShape().get(1)));    // (3, I)
                    NDArray mergedOut = x.matMul(w.transpose());                          // (3, O)
                    NDArray adapterOut = x.matMul(w0.transpose())
                            .add(x.matMul(a.transpose()).matMul(b.transpose()).mul((float) LORA.scale()));
                    assertThat(mergedOut.sub(adapterOut).abs().max().getFloat()).as(path).isLessThan(1e-5f);
                    assertThat(w.sub(w0).abs().max().getFloat()).as(path + " moved").isGreaterThan(0f);
                }
                // whole model: the merged checkpoint's logits equal the base with the adapters applied
                NDArray ids = manager.create(new long[] {1, 5, 9, 12, 40, 3}, new Shape(1, 6));
                ParameterStore store = new ParameterStore(manager, false);
                MoeTransformer mergedModel = load(result.checkpoint(), manager);
                NDArray fromMerged = mergedModel.apply(store, ids, false).get(0);
                NDArray fromAdapters = adapted.apply(store, ids, false).get(0);
                assertThat(fromMerged.sub(fromAdapters).abs().max().getFloat()).isLessThan(1e-5f);
                adapters.restoreBase();
                NDArray fromBase = adapted.apply(store, ids, false).get(0);
                NDArray baseLogits = load(init, manager).apply(store, ids, false).get(0);
                assertThat(fromBase.toFloatArray()).containsExactly(baseLogits.toFloatArray());
                assertThat(fromMerged.sub(fromBase).abs().max().getFloat()).isGreaterThan(1e-4f);
            }
        }
    }

    @Test
    void anAdapterRunCancelledAndResumedRepeatsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> straight = new ArrayList<>();
        DpoTest.stage(dir, 6, 2, List.of(), LORA).run(dir.resolve("a"), (type, fields) -> {
            if (type.equals("metric")) {
                straight.add(fields);
            }
        }, () -> false);
        List<Map<String, ?>> interrupted = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric")) {
                interrupted.add(fields);
            }
        };
        DpoTest.stage(dir, 6, 2, List.of(), LORA).run(dir.resolve("b"), events, () -> interrupted.size() >= 3);
        TrainResult resumed = DpoTest.stage(dir, 6, 2, List.of(), LORA).run(dir.resolve("b"), events, () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(interrupted).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(interrupted.get(i).get("loss")).as("step %d", i + 1).isEqualTo(straight.get(i).get("loss"));
            assertThat(interrupted.get(i).get("grad_norm")).as("step %d", i + 1)
                    .isEqualTo(straight.get(i).get("grad_norm"));
        }
        assertThat(Checkpoints.readMeta(resumed.checkpoint()).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(dir.resolve("a/checkpoints/final")).weightsDigest());
        assertThat(straight.stream().map(m -> m.get("loss")).distinct().count()).isGreaterThan(1);
    }

    private static MoeTransformer load(Path checkpoint, NDManager manager) throws Exception {
        return Checkpoints.loadModel(checkpoint, Checkpoints.readMeta(checkpoint), manager);
    }

    private static float[] gaussian(SplittableRandom random, long n) {
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
