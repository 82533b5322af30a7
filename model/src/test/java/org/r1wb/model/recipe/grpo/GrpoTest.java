package org.r1wb.model.recipe.grpo;

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
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GrpoTest {

    @BeforeAll
    static void noGraphsOutsideCollectors() {
        GradMode.offOnThisThread();
    }

    @Test
    void advantagesAreZeroMeanUnitSpreadWithinEachGroupAndZeroForAnEqualGroup() {
        double[] rewards = {1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5, 3, 1, 2, 0};
        double[] advantages = GroupAdvantages.of(rewards, 4);
        for (int group = 0; group < 3; group++) {
            double sum = 0;
            for (int i = group * 4; i < group * 4 + 4; i++) {
                sum += advantages[i];
            }
            assertThat(sum).isCloseTo(0, within(1e-12));
        }
        // group 0: mean 0.5, sample std sqrt(4·0.25/3) = 0.57735
        assertThat(advantages[0]).isCloseTo(0.5 / (0.5773502692 + GroupAdvantages.EPS), within(1e-9));
        assertThat(advantages[1]).isLessThan(0);
        assertThat(new double[] {advantages[4], advantages[5], advantages[6], advantages[7]}).containsOnly(0.0);
        assertThat(advantages[8]).isGreaterThan(advantages[10]).isGreaterThan(advantages[9]).isGreaterThan(advantages[11]);
    }

    @Test
    void clippedObjectiveEqualsTheHandComputedValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logp = manager.create(new float[] {log(0.5), log(0.2)}, new Shape(1, 2));
            NDArray old = manager.create(new float[] {log(0.4), log(0.25)}, new Shape(1, 2));
            NDArray ref = manager.create(new float[] {log(0.5), log(0.1)}, new Shape(1, 2));
            NDArray mask = manager.create(new float[] {1, 1}, new Shape(1, 2));
            ClippedPolicyLoss.Result result = new ClippedPolicyLoss(0.2, 0.1)
                    .compute(logp, old, ref, manager.create(new float[] {2}), mask);
            // token 1: ρ = 0.5/0.4 = 1.25, clipped to 1.2; min(1.25·2, 1.2·2) = 2.4; KL: log(0.5/0.5) = 0 → 0
            // token 2: ρ = 0.2/0.25 = 0.8 (the clip edge): 1.6; KL: x = log(0.1/0.2) = −0.693147,
            //          eˣ − x − 1 = 0.5 + 0.693147 − 1 = 0.193147, times β 0.1 = 0.0193147
            // loss = −((2.4 − 0) + (1.6 − 0.0193147)) / 2 = −1.99034265
            assertThat(result.loss().getFloat()).isCloseTo(-1.99034265f, within(1e-5f));
            assertThat(result.kl()).isCloseTo(0.193147 / 2, within(1e-5));
            assertThat(result.clipFraction()).isGreaterThanOrEqualTo(0.5).isLessThanOrEqualTo(1.0);

            // a negative advantage clips from the other side: min(1.25·−2, 1.2·−2) = −2.5 for token 1
            ClippedPolicyLoss.Result negative = new ClippedPolicyLoss(0.2, 0)
                    .compute(logp, old, ref, manager.create(new float[] {-2}), mask);
            assertThat(negative.loss().getFloat()).isCloseTo((2.5f + 1.6f) / 2, within(1e-5f));
        }
    }

    @Test
    void equalRewardsGiveAZeroPolicyGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer policy = MoeTransformer.create(TinySpecs.tiny(), manager, 3);
            ParameterStore store = new ParameterStore(manager, false);
            int[] ids = new SplittableRandom(2).ints(2 * 6, 0, 64).toArray();
            NDArray inputs = manager.create(ids, new Shape(2, 6)).toType(DataType.INT64, false);
            NDArray targets = manager.create(new SplittableRandom(3).ints(12, 0, 64).toArray(), new Shape(2, 6));
            NDArray mask = manager.create(new float[] {0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1}, new Shape(2, 6));
            NDArray old = NextTokenLoss.perToken(policy.apply(store, inputs, false).get(0), targets).neg().add(0.1f);
            for (double[] rewards : new double[][] {{1, 1}, {0, 1}}) {
                NDArray advantages = manager.create(toFloats(GroupAdvantages.of(rewards, 2)));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logp = NextTokenLoss.perToken(policy.apply(store, inputs, true).get(0), targets).neg();
                    collector.backward(new ClippedPolicyLoss(0.2, 0).compute(logp, old, old, advantages, mask).loss());
                }
                double largest = 0;
                for (Pair<String, Parameter> entry : policy.getParameters()) {
                    NDArray value = entry.getValue().getArray();
                    if (value.hasGradient()) {
                        try (NDArray grad = value.getGradient()) {
                            largest = Math.max(largest, grad.abs().max().getFloat());
                            grad.subi(grad);
                        }
                    }
                }
                if (rewards[0] == rewards[1]) {
                    assertThat(largest).as("equal rewards").isZero();
                } else {
                    assertThat(largest).as("the control: different rewards").isGreaterThan(1e-3);
                }
            }
        }
    }

    @Test
    void aTinyModelLearnsToPreferTheRewardedTokens() {
        int[] prompt = {1, 2, 3};
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer policy = MoeTransformer.create(TinySpecs.tiny(), manager, 4);
            MoeTransformer reference = MoeTransformer.create(TinySpecs.tiny(), manager, 4);
            double before = rewardedProbability(policy, manager, prompt);
            GrpoTrainer.Settings settings = new GrpoTrainer.Settings(16, 2, 1.0, 1, -1,
                    new ClippedPolicyLoss(0.2, 0.01), 1e-2, 7);
            try (GrpoTrainer grpo = new GrpoTrainer(policy, reference, manager, settings,
                    new OptimizerSpec(1e-2, 1e-2, 0.0, 0, 0, 0, 1.0))) {
                GrpoTrainer.StepReport first = null;
                GrpoTrainer.StepReport last = null;
                for (int step = 0; step < 20; step++) {
                    last = grpo.step(List.of(prompt), (p, completion) -> completion[0] < 8 ? 1 : 0);
                    first = first == null ? last : first;
                }
                assertThat(last.rewardMean()).isGreaterThan(first.rewardMean());
                assertThat(last.kl()).isGreaterThan(0);
                assertThat(last.completionLength()).isEqualTo(1.0);
            }
            double after = rewardedProbability(policy, manager, prompt);
            // 8 of 64 ids are rewarded: about 1/8 at the start
            assertThat(before).isLessThan(0.25);
            assertThat(after).isGreaterThan(0.6);
        }
    }

    /** The probability the model gives ids 0..7 right after {@code prompt}. */
    private static double rewardedProbability(MoeTransformer model, NDManager manager, int[] prompt) {
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(prompt, new Shape(1, prompt.length)).toType(DataType.INT64, false);
            float[] probs = model.apply(new ParameterStore(step, false), ids, false).get(0)
                    .get(":, -1, :").softmax(-1).toFloatArray();
            double sum = 0;
            for (int id = 0; id < 8; id++) {
                sum += probs[id];
            }
            return sum;
        }
    }

    private static float log(double p) {
        return (float) Math.log(p);
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
