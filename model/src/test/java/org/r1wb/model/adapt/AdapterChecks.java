package org.r1wb.model.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.r1wb.model.export.ParameterPaths;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.TrainedWeights;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** What every stage that trains LoRA adapters must leave behind, checked the same way for sft, grpo and dpo. */
public final class AdapterChecks {

    private AdapterChecks() {
    }

    /**
     * Asserts that the checkpoint {@code merged}, trained with adapters {@code spec} from {@code base}, is the base
     * plus its saved adapters and nothing else: every weight without an adapter (the routers' selection bias
     * included) equals the base's bit for bit; each adapted weight's frozen copy equals the base's bit for bit, has
     * moved, and maps x as x·W₀ᵀ + s·(x·Aᵀ)·Bᵀ (1e-5); the merged model's logits equal the base model's with the
     * adapters loaded (1e-5) and differ from the base's. Returns the adapted weights' paths.
     */
    public static List<String> assertMergedIsBasePlusAdapters(Path base, Path merged, LoraSpec spec)
            throws Exception {
        Path adapterDir = TrainedWeights.adapterFolder(merged);
        assertThat(adapterDir.resolve(LoraAdapters.WEIGHTS)).exists();
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> baseWeights = ParameterPaths.of(load(base, manager));
            Map<String, Parameter> mergedWeights = ParameterPaths.of(load(merged, manager));
            MoeTransformer adapted = load(base, manager);
            try (LoraAdapters adapters = LoraAdapters.attach(adapted, spec, manager, 0)) {
                adapters.load(adapterDir);
                SplittableRandom random = new SplittableRandom(3);
                for (String path : baseWeights.keySet()) {
                    NDArray w0 = baseWeights.get(path).getArray();
                    NDArray w = mergedWeights.get(path).getArray();
                    if (!adapters.paths().contains(path)) {
                        assertThat(w.toFloatArray()).as(path).containsExactly(w0.toFloatArray());
                        continue;
                    }
                    assertThat(adapters.base(path).toFloatArray()).as(path).containsExactly(w0.toFloatArray());
                    NDArray a = adapters.a(path);                                            // (r, I)
                    NDArray b = adapters.b(path);                                            // (O, r)
                    long in = w0.getShape().get(1);
                    NDArray x = manager.create(uniform(random, 3 * in), new Shape(3, in));  // (3, I)
                    NDArray mergedOut = x.matMul(w.transpose());                              // (3, O)
                    NDArray adapterOut = x.matMul(w0.transpose())
                            .add(x.matMul(a.transpose()).matMul(b.transpose()).mul((float) spec.scale()));
                    assertThat(mergedOut.sub(adapterOut).abs().max().getFloat()).as(path).isLessThan(1e-5f);
                    assertThat(w.sub(w0).abs().max().getFloat()).as(path + " moved").isGreaterThan(0f);
                }
                NDArray ids = manager.create(new long[] {1, 5, 9, 12, 40, 3}, new Shape(1, 6));
                ParameterStore store = new ParameterStore(manager, false);
                NDArray fromMerged = load(merged, manager).apply(store, ids, false).get(0);
                NDArray fromAdapters = adapted.apply(store, ids, false).get(0);
                assertThat(fromMerged.sub(fromAdapters).abs().max().getFloat()).isLessThan(1e-5f);
                adapters.restoreBase();
                NDArray fromBase = adapted.apply(store, ids, false).get(0);
                assertThat(fromBase.toFloatArray())
                        .containsExactly(load(base, manager).apply(store, ids, false).get(0).toFloatArray());
                assertThat(fromMerged.sub(fromBase).abs().max().getFloat()).isGreaterThan(1e-4f);
                return adapters.paths();
            }
        }
    }

    private static MoeTransformer load(Path checkpoint, NDManager manager) throws Exception {
        return Checkpoints.loadModel(checkpoint, Checkpoints.readMeta(checkpoint), manager);
    }

    private static float[] uniform(SplittableRandom random, long n) {
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
