package org.r1wb.model.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.SpecValidator;
import org.r1wb.model.train.AdamW;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MoeTransformerTest {

    @Test
    void overfitsOneSmallBatch() {
        GradMode.offOnThisThread();
        ModelSpec spec = TinySpecs.tiny(GateFunction.SIGMOID, Balancing.AUX_LOSS);
        Random random = new Random(11);
        int b = 4;
        int t = 16;
        int[] tokens = new int[b * (t + 1)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(spec.vocabSize());
        }
        int[] inputs = new int[b * t];
        int[] targets = new int[b * t];
        for (int row = 0; row < b; row++) {
            System.arraycopy(tokens, row * (t + 1), inputs, row * t, t);
            System.arraycopy(tokens, row * (t + 1) + 1, targets, row * t, t);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec, manager, 5);
            ParameterStore store = new ParameterStore(manager, false);
            double first = Double.NaN;
            double last = Double.NaN;
            try (AdamW optimizer = new AdamW(model, new OptimizerSpec(1e-2, 1e-2, 0.0, 0.9, 0.95, 0, 1.0), manager)) {
                for (int step = 0; step < 60; step++) {
                    try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager();
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        scope.suppressNotUsedWarning();
                        NDList out = model.apply(store, batch.create(inputs, new Shape(b, t)), true);
                        NDArray loss = NextTokenLoss.mean(out.get(0), batch.create(targets, new Shape(b, t)))
                                .add(out.get(1).mul(0.01f));
                        collector.backward(loss);
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                    }
                    optimizer.step(1e-2);
                }
            }
            assertThat(first).isCloseTo(Math.log(spec.vocabSize()), within(0.3));
            // the batch's 64 random targets memorised: near zero, not merely lower
            assertThat(last).as("loss after 60 steps on one batch").isLessThan(0.05);
        }
    }

    @Test
    void aLaterTokenNeverChangesEarlierLogits() {
        ModelSpec spec = TinySpecs.tiny();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec, manager, 2);
            ParameterStore store = new ParameterStore(manager, false);
            long[] ids = {3, 9, 27, 17, 51, 20, 8, 40};
            long[] changed = ids.clone();
            changed[7] = 1;
            NDArray a = model.apply(store, manager.create(ids, new Shape(1, 8)), false).get(0);
            NDArray c = model.apply(store, manager.create(changed, new Shape(1, 8)), false).get(0);
            float[] before = a.get(new NDIndex("0, :7")).toFloatArray();
            assertThat(c.get(new NDIndex("0, :7")).toFloatArray()).containsExactly(before, within(1e-5f));
            assertThat(a.get(new NDIndex("0, 7")).toType(DataType.FLOAT32, false).sub(c.get(new NDIndex("0, 7")))
                    .abs().max().getFloat()).as("the changed position itself does differ").isGreaterThan(1e-4f);
        }
    }

    @Test
    void layersThatDifferBuildTrainAndMatchTheirEstimate() {
        GradMode.offOnThisThread();
        ModelSpec base = TinySpecs.tiny();
        // 4 layers, H 4: layer 2 dense, the rest MoE; GQA (1 kv head) only on layer 0
        ModelSpec spec = new ModelSpec(base.vocabSize(), base.dModel(), 4, base.heads(), base.heads(), base.headDim(),
                base.ropeTheta(), base.maxSeqLen(), base.normEps(), 0.0, base.tiedEmbeddings(), 0, base.ffnHidden(),
                base.moe()).withLayerKinds(List.of(LayerKind.moe(1), LayerKind.moe(4), LayerKind.dense(4),
                LayerKind.moe(4)));
        assertThat(SpecValidator.validate(spec)).isEmpty();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec, manager, 3);
            long built = 0;
            for (Pair<String, Parameter> entry : model.getParameters()) {
                built += entry.getValue().requiresGradient() ? entry.getValue().getArray().size() : 0;
            }
            assertThat(built).isEqualTo(ModelEstimates.of(spec).totalParams());
            assertThat(model.moeLayers()).extracting(MoeTransformer.IndexedMoe::layer).containsExactly(0, 1, 3);
            ParameterList layer0 = model.blocks().get(0).attention().getParameters();
            ParameterList layer1 = model.blocks().get(1).attention().getParameters();
            long hd = spec.headDim();
            assertThat(layer0.get("k_proj").getArray().getShape()).isEqualTo(new Shape(hd, spec.dModel()));
            assertThat(layer1.get("k_proj").getArray().getShape()).isEqualTo(new Shape(4 * hd, spec.dModel()));

            ParameterStore store = new ParameterStore(manager, false);
            // the KV cache holds each layer at its own width: a 5-token prefill then 3 more equal one full pass
            long[] prompt = {3, 9, 27, 17, 51, 20, 8, 40};
            float[] full = model.apply(store, manager.create(prompt, new Shape(1, 8)), false).get(0)
                    .get(new NDIndex("0, 5:")).toFloatArray();
            try (KvCache cache = model.newCache(manager)) {
                model.apply(store, manager.create(Arrays.copyOf(prompt, 5), new Shape(1, 5)), false, cache);
                float[] cached = model.apply(store, manager.create(Arrays.copyOfRange(prompt, 5, 8), new Shape(1, 3)),
                        false, cache).get(0).toFloatArray();
                assertThat(cached).containsExactly(full, within(1e-4f));
            }
            int b = 2;
            int t = 8;
            Random random = new Random(4);
            int[] ids = random.ints(b * (t + 1), 0, spec.vocabSize()).toArray();
            float[] k0Before = layer0.get("k_proj").getArray().toFloatArray();
            try (AdamW optimizer = new AdamW(model, new OptimizerSpec(1e-2, 1e-2, 0.0, 0.9, 0.95, 0, 1.0), manager)) {
                try (NDManager batch = manager.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray all = batch.create(ids, new Shape(b, t + 1));
                    NDList out = model.apply(store, all.get(new NDIndex(":, :-1")), true);
                    NDArray loss = NextTokenLoss.mean(out.get(0), all.get(new NDIndex(":, 1:")));
                    collector.backward(loss);
                    assertThat(loss.getFloat()).isCloseTo((float) Math.log(spec.vocabSize()), within(0.5f));
                }
                optimizer.step(1e-2);
            }
            assertThat(layer0.get("k_proj").getArray().toFloatArray()).as("the GQA layer's keys were trained")
                    .isNotEqualTo(k0Before);
        }
    }
}
