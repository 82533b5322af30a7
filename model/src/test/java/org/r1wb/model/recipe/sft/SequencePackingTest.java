package org.r1wb.model.recipe.sft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.Segments;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.TrainBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A packed batch must compute exactly what its examples compute one by one, in value and in gradient. */
class SequencePackingTest {

    @BeforeAll
    static void noGraphsOutsideCollectors() {
        GradMode.offOnThisThread();
    }

    /** A random example of {@code n} tokens over the tiny model's 64 ids, its second half the response. */
    static SftSequence example(int n, SplittableRandom random) {
        int[] tokens = random.ints(n, 0, 64).toArray();
        boolean[] response = new boolean[n];
        Arrays.fill(response, n / 2, n, true);
        return new SftSequence(tokens, response);
    }

    @Test
    void packsExamplesIntoRowsWithPositionsRestartingAndPromptAndPaddingMasked() {
        SplittableRandom random = new SplittableRandom(1);
        List<SftSequence> examples = List.of(example(6, random), example(9, random), example(5, random));
        TrainBatch batch = SequencePacker.pack(examples, 2, 14);

        // 5 + 8 positions fill row 0 (one pad), the third example does not fit and opens row 1
        assertThat(Arrays.copyOfRange(batch.segments().positions(), 0, 14))
                .containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6, 7, 0);
        assertThat(Arrays.copyOfRange(batch.segments().positions(), 14, 18)).containsExactly(0, 1, 2, 3);
        assertThat(Arrays.copyOfRange(batch.inputs(), 5, 13)).containsExactly(Arrays.copyOf(examples.get(1).tokens(), 8));
        assertThat(Arrays.copyOfRange(batch.targets(), 5, 13))
                .containsExactly(Arrays.copyOfRange(examples.get(1).tokens(), 1, 9));
        // the 9-token example's response starts at token 4, so its targets 3..7 count: mask positions 5+3..5+7
        assertThat(Arrays.copyOfRange(batch.lossMask(), 5, 13)).containsExactly(0, 0, 0, 1, 1, 1, 1, 1);
        assertThat(batch.lossMask()[13]).as("padding").isZero();
        assertThat(batch.countedTargets()).isEqualTo(3 + 5 + 3);
    }

    @Test
    void packedLossAndGradientsEqualTheExamplesRunOneByOne() {
        SplittableRandom random = new SplittableRandom(2);
        List<SftSequence> examples = List.of(example(6, random), example(9, random), example(5, random),
                example(8, random), example(12, random));
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(), manager, 5);
            ParameterStore store = new ParameterStore(manager, false);

            TrainBatch packed = SequencePacker.pack(examples, 3, 16);
            double packedLoss;
            try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.apply(store, ids(step, packed.inputs(), packed), true, packed.segments()).get(0);
                NDArray loss = summedLoss(logits, ids(step, packed.targets(), packed),
                        step.create(packed.lossMask(), new Shape(packed.batchSize(), packed.seqLen())));
                packedLoss = loss.getFloat();
                collector.backward(loss);
            }
            List<float[]> packedGrads = takeGradients(model);

            double aloneLoss;
            try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray total = null;
                for (SftSequence example : examples) {
                    TrainBatch alone = SequencePacker.pack(List.of(example), 1, example.length() - 1);
                    NDArray logits = model.apply(store, ids(step, alone.inputs(), alone), true).get(0); // plain causal
                    NDArray loss = summedLoss(logits, ids(step, alone.targets(), alone),
                            step.create(alone.lossMask(), new Shape(1, alone.seqLen())));
                    total = total == null ? loss : total.add(loss);
                }
                aloneLoss = total.getFloat();
                collector.backward(total);
            }
            List<float[]> aloneGrads = takeGradients(model);

            assertThat(packedLoss).isGreaterThan(10).isCloseTo(aloneLoss, within(1e-4 * aloneLoss));
            assertThat(packedGrads).hasSameSizeAs(aloneGrads).hasSizeGreaterThan(10);
            double largest = 0;
            for (int p = 0; p < packedGrads.size(); p++) {
                assertThat(packedGrads.get(p)).containsExactly(aloneGrads.get(p), within(2e-5f));
                for (float g : aloneGrads.get(p)) {
                    largest = Math.max(largest, Math.abs(g));
                }
            }
            assertThat(largest).as("gradients actually flowed").isGreaterThan(1e-2);
        }
    }

    @Test
    void aTokensLogitsDoNotDependOnTheExamplePackedBeforeIt() {
        SplittableRandom random = new SplittableRandom(3);
        SftSequence target = example(7, random);
        List<float[]> logits = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(TinySpecs.tiny(), manager, 6);
            ParameterStore store = new ParameterStore(manager, false);
            for (SftSequence before : List.of(example(5, random), example(5, random), example(9, random))) {
                logits.add(lastExampleLogits(model, store, manager, List.of(before, target), true));
            }
            float[] withoutSegments = lastExampleLogits(model, store, manager, List.of(example(5, random), target), false);
            float[] alone = lastExampleLogits(model, store, manager, List.of(target), true);

            assertThat(logits.get(1)).as("another example of the same length before it").containsExactly(logits.get(0), within(1e-5f));
            assertThat(logits.get(2)).as("a longer one, which shifts it in the row").containsExactly(alone, within(1e-5f));
            assertThat(logits.get(0)).containsExactly(alone, within(1e-5f));
            // the control: one causal sequence over the whole row lets it see its neighbour
            float maxDifference = 0;
            for (int i = 0; i < alone.length; i++) {
                maxDifference = Math.max(maxDifference, Math.abs(withoutSegments[i] - alone[i]));
            }
            assertThat(maxDifference).isGreaterThan(1e-2f);
        }
    }

    /** The logits (6 positions × V) of the last of {@code examples} packed into one row. */
    private static float[] lastExampleLogits(MoeTransformer model, ParameterStore store, NDManager manager,
                                             List<SftSequence> examples, boolean segmented) {
        int t = examples.stream().mapToInt(e -> e.length() - 1).sum();
        TrainBatch batch = SequencePacker.pack(examples, 1, t);
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = ids(step, batch.inputs(), batch);
            NDArray logits = segmented ? model.apply(store, ids, false, batch.segments()).get(0)
                    : model.apply(store, ids, false).get(0);
            int last = examples.get(examples.size() - 1).length() - 1;
            return logits.get(":, {}:, :", t - last).toFloatArray();
        }
    }

    private static NDArray summedLoss(NDArray logits, NDArray targets, NDArray mask) {
        return NextTokenLoss.perToken(logits, targets).mul(mask).sum();
    }

    private static NDArray ids(NDManager manager, int[] values, TrainBatch batch) {
        return manager.create(values, new Shape(batch.batchSize(), batch.seqLen())).toType(DataType.INT64, false);
    }

    private static List<float[]> takeGradients(MoeTransformer model) {
        List<float[]> grads = new ArrayList<>();
        for (Pair<String, Parameter> entry : model.getParameters()) {
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
