package org.r1wb.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.r1wb.model.nn.KvCache;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.GradMode;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorTest {

    /** Tiny GQA model (4 query heads, 2 KV heads) with a 32-token context, weights scaled up so its choices vary. */
    private static final ModelSpec SPEC = TinySpecs.tiny(GateFunction.SIGMOID, Balancing.AUX_FREE);

    @Test
    void kvCachedLogitsEqualFullRecomputeAtEveryPosition() {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = model(manager);
            ParameterStore store = new ParameterStore(manager, false);
            long[] ids = new SplittableRandom(4).longs(20, 0, SPEC.vocabSize()).toArray();
            float[] full = model.apply(store, manager.create(ids, new Shape(1, 20)), false).get(0).toFloatArray();
            try (KvCache cache = model.newCache(manager)) {
                // a 7-token prefill, then one token at a time
                NDArray first = model.apply(store, manager.create(Arrays.copyOf(ids, 7), new Shape(1, 7)), false, cache).get(0);
                float[] cached = Arrays.copyOf(first.toFloatArray(), 20 * SPEC.vocabSize());
                for (int pos = 7; pos < 20; pos++) {
                    float[] row = model.apply(store, manager.create(new long[] {ids[pos]}, new Shape(1, 1)), false, cache)
                            .get(0).toFloatArray();
                    System.arraycopy(row, 0, cached, pos * SPEC.vocabSize(), row.length);
                }
                assertThat(cache.length()).isEqualTo(20);
                float scale = 0;
                float worst = 0;
                for (int i = 0; i < full.length; i++) {
                    scale = Math.max(scale, Math.abs(full[i]));
                    worst = Math.max(worst, Math.abs(full[i] - cached[i]));
                }
                // float32 sums in another order: agreement to ~1e-6 of the logits' scale, not to their last bit
                assertThat(worst).as("largest difference; logits up to %.1f", scale).isLessThan(1e-5f * scale);
            }
        }
    }

    @Test
    void kvCachedGreedyEqualsFullRecomputeGreedyPastTheContextWindow() {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = model(manager);
            int[] prompt = {5, 17, 3, 40, 22};
            int newTokens = 45; // 5 + 45 > the 32-token context: the window slides
            Generation cached = new Generator(model, manager).generate(prompt, GenerationConfig.greedy(newTokens), null);
            int[] reference = recomputeGreedy(model, manager, prompt, newTokens);
            assertThat(cached.tokens()).containsExactly(reference);
            assertThat(cached.reason()).isEqualTo(Generation.StopReason.LENGTH);
            assertThat(Arrays.stream(reference).distinct().count()).as("a non-degenerate continuation").isGreaterThan(3);
        }
    }

    @Test
    void stopsAtAStopIdOrAStopStringAndSamplesReproducibly() {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = model(manager);
            Generator generator = new Generator(model, manager);
            int[] prompt = {1, 2, 3};
            int[] greedy = generator.generate(prompt, GenerationConfig.greedy(12), null).tokens();

            Generation stopped = generator.generate(prompt, GenerationConfig.greedy(12, greedy[4]), null);
            int firstStop = indexOf(greedy, greedy[4]);
            assertThat(stopped.tokens()).containsExactly(Arrays.copyOf(greedy, firstStop));
            assertThat(stopped.reason()).isEqualTo(Generation.StopReason.STOP_ID);

            // ids as space-separated numbers; stop at the text of the 3rd and 4th generated ids together
            java.util.function.Function<int[], String> decoder =
                    ids -> Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ", "", " "));
            String stop = greedy[2] + " " + greedy[3];
            Generation text = generator.generate(prompt,
                    new GenerationConfig(12, 0, 1, 0, null, List.of(stop)), decoder);
            assertThat(text.reason()).isEqualTo(Generation.StopReason.STOP_STRING);
            assertThat(text.text()).doesNotContain(stop);
            assertThat(decoder.apply(text.tokens())).contains(stop).startsWith(text.text());

            GenerationConfig sampling = new GenerationConfig(12, 1.5, 0.9, 7, null, null);
            int[] a = generator.generate(prompt, sampling, null).tokens();
            int[] b = generator.generate(prompt, sampling, null).tokens();
            int[] c = generator.generate(prompt, new GenerationConfig(12, 1.5, 0.9, 8, null, null), null).tokens();
            assertThat(a).containsExactly(b).isNotEqualTo(c);
        }
    }

    @Test
    void aBatchOfRowsSamplesWhatEachRowSamplesAlone() {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            Generator generator = new Generator(model(manager), manager);
            int[] prompt = {4, 9, 2, 30};
            int[] greedy = generator.generate(prompt, GenerationConfig.greedy(10), null).tokens();
            // a stop id the model does produce, so some rows stop early and wait for the others
            int stop = greedy[3];
            long[] seeds = {3, 14, 15, 92, 65};
            Generation[] group = generator.generateGroup(prompt, seeds, new GenerationConfig(10, 4.0, 1, 0,
                    new int[] {stop}, null));
            for (int r = 0; r < seeds.length; r++) {
                Generation alone = generator.generate(prompt, new GenerationConfig(10, 4.0, 1, seeds[r],
                        new int[] {stop}, null), null);
                assertThat(group[r].tokens()).as("row %d", r).containsExactly(alone.tokens());
                assertThat(group[r].reason()).isEqualTo(alone.reason());
                assertThat(group[r].stopId()).isEqualTo(alone.stopId())
                        .isEqualTo(alone.reason() == Generation.StopReason.STOP_ID ? stop : -1);
            }
            assertThat(Arrays.stream(group).map(g -> Arrays.toString(g.tokens())).distinct().count())
                    .as("rows sampled with different seeds differ").isGreaterThan(1);

            // different prompts of one length, greedily: each row is its prompt's greedy continuation
            int[][] prompts = {{4, 9, 2, 30}, {7, 7, 1, 12}, {50, 3, 8, 8}};
            Generation[] batch = generator.generateBatch(prompts, new long[3], GenerationConfig.greedy(8, stop));
            for (int r = 0; r < prompts.length; r++) {
                assertThat(batch[r].tokens()).as("prompt %d", r)
                        .containsExactly(generator.generate(prompts[r], GenerationConfig.greedy(8, stop), null).tokens());
            }
        }
    }

    @Test
    void topPKeepsOnlyTheNucleusAndTemperatureZeroIsArgmax() {
        float[] logits = {0f, 3f, 2.9f, -5f, 1f};
        SplittableRandom random = new SplittableRandom(1);
        assertThat(Generator.choose(logits, GenerationConfig.greedy(1), random)).isEqualTo(1);
        // p ≈ 0.46 and 0.42 for ids 1 and 2; top-p 0.5 keeps both, never the 0.11 of id 4
        GenerationConfig nucleus = new GenerationConfig(1, 1, 0.5, 0, null, null);
        int[] counts = new int[5];
        for (int i = 0; i < 2000; i++) {
            counts[Generator.choose(logits, nucleus, random)]++;
        }
        assertThat(counts[0] + counts[3] + counts[4]).isZero();
        assertThat(counts[1]).isBetween(900, 1300);
        assertThat(counts[2]).isBetween(700, 1100);
    }

    private static int[] recomputeGreedy(MoeTransformer model, NDManager manager, int[] prompt, int newTokens) {
        ParameterStore store = new ParameterStore(manager, false);
        int[] sequence = Arrays.copyOf(prompt, prompt.length + newTokens);
        for (int length = prompt.length; length < sequence.length; length++) {
            int from = Math.max(0, length - SPEC.maxSeqLen());
            int[] context = Arrays.copyOfRange(sequence, from, length);
            try (NDManager step = manager.newSubManager()) {
                NDArray ids = step.create(context, new Shape(1, context.length)).toType(DataType.INT64, false);
                sequence[length] = (int) model.apply(store, ids, false).get(0).get(new NDIndex("0, -1")).argMax().getLong();
            }
        }
        return Arrays.copyOfRange(sequence, prompt.length, sequence.length);
    }

    private static MoeTransformer model(NDManager manager) {
        MoeTransformer model = MoeTransformer.create(SPEC, manager, 9);
        // the 0.02 init makes every logit nearly equal; larger weights give the model opinions to decode
        model.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().muli(20f);
            }
        });
        return model;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
