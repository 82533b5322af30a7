package org.r1wb.model.train;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link RunSpec#gradAccumulation()}: k micro-batches of B windows train like one batch of k·B.
 *
 * <p>Both runs see the same windows (the sampler draws them in the same order) and route every token alike, so what
 * differs is only where float32 sums are split: per-micro-batch means added up, against one mean. That moves a result
 * by a few ulps (measured: ≤ 1e-7 relative through four AdamW steps), far below {@value #SAME}, while a wrong
 * weighting is well above it: micro-batches weighted alike although their counted targets differ put step 1's loss
 * 1.3e-4 off; a sum instead of a mean doubles the gradient.
 */
class GradientAccumulationTest {

    /** Relative tolerance for "the same up to float32 summation order". */
    private static final double SAME = 1e-5;
    private static final int STEPS = 4;

    @Test
    void twoMicroBatchesOfTwoTrainLikeOneBatchOfFourWithMaskedTargets(@TempDir Path dir) throws Exception {
        Run accumulated = train(spec(Balancing.AUX_FREE, 2, 2), dir.resolve("k2"));
        Run whole = train(spec(Balancing.AUX_FREE, 4, 1), dir.resolve("k1"));
        assertThat(accumulated.losses).hasSize(STEPS);
        for (int i = 0; i < STEPS; i++) {
            assertThat(accumulated.losses.get(i)).as("loss at step %d", i + 1)
                    .isCloseTo(whole.losses.get(i), relative(SAME, whole.losses.get(i)));
            assertThat(accumulated.gradNorms.get(i)).as("grad_norm at step %d", i + 1)
                    .isCloseTo(whole.gradNorms.get(i), relative(SAME, whole.gradNorms.get(i)));
        }
        // the aux-free bias moved once per optimizer step, from the load of all micro-batches
        assertThat(accumulated.routing).hasSize(whole.routing.size()).isNotEmpty();
        for (int i = 0; i < whole.routing.size(); i++) {
            assertThat(accumulated.routing.get(i).get("load")).isEqualTo(whole.routing.get(i).get("load"));
            assertThat(accumulated.routing.get(i).get("bias")).isEqualTo(whole.routing.get(i).get("bias"));
        }
    }

    /**
     * Under AUX_LOSS the balance term {@code E · Σ f_i · P_i} is taken per micro-batch and averaged, as Megatron-LM
     * does: the whole batch's value is the product of the averaged f and P, the micro-batches' the average of their
     * products; they differ by the covariance of f and P across micro-batches (measured: 2e-4 on a statistic of about
     * 1.002, where summing instead of averaging would give 2). At step 1 the weights are equal, so the gradients differ
     * only through that term, scaled by the aux weight 0.01 (measured: 3e-7 of the norm, bound 1e-4). After that the
     * runs drift apart by what that difference does to AdamW's updates (measured: 1e-4 of the loss by step 4, bound
     * 1e-3).
     */
    @Test
    void theBalanceTermIsAveragedOverMicroBatches(@TempDir Path dir) throws Exception {
        Run accumulated = train(spec(Balancing.AUX_LOSS, 2, 2), dir.resolve("k2"));
        Run whole = train(spec(Balancing.AUX_LOSS, 4, 1), dir.resolve("k1"));
        assertThat(accumulated.losses.get(0)).isCloseTo(whole.losses.get(0), relative(SAME, whole.losses.get(0)));
        assertThat(accumulated.auxLosses.get(0)).isCloseTo(whole.auxLosses.get(0), within(1e-2));
        assertThat(accumulated.gradNorms.get(0))
                .isCloseTo(whole.gradNorms.get(0), relative(1e-4, whole.gradNorms.get(0)));
        for (int i = 1; i < STEPS; i++) {
            assertThat(accumulated.losses.get(i)).as("loss at step %d", i + 1)
                    .isCloseTo(whole.losses.get(i), relative(1e-3, whole.losses.get(i)));
        }
    }

    @Test
    void stepsCheckpointsAndResumeCountOptimizerSteps(@TempDir Path dir) throws Exception {
        RunSpec spec = spec(Balancing.AUX_FREE, 2, 3);
        Run uninterrupted = train(spec, dir.resolve("whole"));
        assertThat(uninterrupted.losses).hasSize(STEPS);
        assertThat(Checkpoints.readMeta(dir.resolve("whole/checkpoints/final")).step()).isEqualTo(STEPS);

        AtomicInteger polls = new AtomicInteger();
        TrainResult cancelled = new Trainer().train(spec, masked(TrainerTest.markov(5_000, 1)),
                TrainingData.windows(TrainerTest.markov(2_000, 2)), dir.resolve("again"), EventSink.NONE,
                () -> polls.incrementAndGet() > 2);
        assertThat(cancelled.steps()).isEqualTo(2);
        assertThat(Checkpoints.readMeta(cancelled.checkpoint()).step()).isEqualTo(2);
        Run resumed = new Run();
        new Trainer().resume(spec, masked(TrainerTest.markov(5_000, 1)),
                TrainingData.windows(TrainerTest.markov(2_000, 2)), dir.resolve("again"), resumed, () -> false);
        // the sampler skipped 2 steps × 3 micro-batches: the resumed steps are the uninterrupted run's, bit for bit
        assertThat(resumed.losses).containsExactlyElementsOf(uninterrupted.losses.subList(2, STEPS));
    }

    /** Tiny model, no dropout; {@code batchSize} windows × {@code microBatches} per step. */
    private static RunSpec spec(Balancing balancing, int batchSize, int microBatches) {
        return new RunSpec("acc", TinySpecs.tiny(GateFunction.SOFTMAX, balancing), new DataRef("mem", "none"), null,
                new OptimizerSpec(1e-2, 1e-3, 0.1, 0, 0, 2, 1.0), STEPS, batchSize, 16, 7, 2, 1, 2, 0, null, null,
                microBatches, null);
    }

    private static Offset<Double> relative(double tolerance, double expected) {
        return within(tolerance * Math.abs(expected));
    }

    private static Run train(RunSpec spec, Path dir) throws Exception {
        Run run = new Run();
        TrainResult result = new Trainer().train(spec, masked(TrainerTest.markov(5_000, 1)),
                TrainingData.windows(TrainerTest.markov(2_000, 2)), dir, run, () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        return run;
    }

    /** Windows whose targets divisible by 3 do not count, so micro-batches count different numbers of targets. */
    private static TrainingData masked(TokenSource source) {
        TrainingData windows = TrainingData.windows(source);
        return new TrainingData() {
            @Override
            public int vocabSize() {
                return windows.vocabSize();
            }

            @Override
            public BatchStream batches(int batchSize, int seqLen, long seed) {
                BatchStream inner = windows.batches(batchSize, seqLen, seed);
                return () -> {
                    TrainBatch batch = inner.next();
                    float[] mask = new float[batch.targets().length];
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = batch.targets()[i] % 3 == 0 ? 0f : 1f;
                    }
                    return new TrainBatch(batch.inputs(), batch.targets(), mask, null, batchSize, seqLen);
                };
            }
        };
    }

    /** The metrics and routing events of one run. */
    private static final class Run implements EventSink {
        final List<Double> losses = new ArrayList<>();
        final List<Double> gradNorms = new ArrayList<>();
        final List<Double> auxLosses = new ArrayList<>();
        final List<Map<String, ?>> routing = new ArrayList<>();

        @Override
        public void emit(String type, Map<String, ?> fields) {
            if (type.equals("metric") && fields.containsKey("loss")) {
                losses.add(((Number) fields.get("loss")).doubleValue());
                gradNorms.add(((Number) fields.get("grad_norm")).doubleValue());
                auxLosses.add(((Number) fields.get("aux_loss")).doubleValue());
            } else if (type.equals("routing")) {
                routing.add(fields);
            }
        }
    }
}
