package org.r1wb.model.recipe.grpo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.r1wb.model.generate.Generation;
import org.r1wb.model.generate.GenerationConfig;
import org.r1wb.model.generate.Generator;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.train.AdamW;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.TrainedWeights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group relative policy optimisation, one step at a time: for each prompt, sample a group of completions from the
 * policy (KV-cached, with temperature), score them, turn the scores into {@link GroupAdvantages}, and take
 * {@code iterations} optimizer steps on the {@link ClippedPolicyLoss} against the sampling-time policy and a frozen
 * reference. Sampling and dropout draw from seeds that are a function of (seed, step, rollout), so a trainer put at
 * step k ({@link #startAt}) with the weights and optimizer state of step k continues exactly; {@link GrpoStage} runs
 * it as a recipe stage with checkpoints and events.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>P, G</td><td>prompts per step, completions per prompt</td></tr>
 *   <tr><td>B, T</td><td>B = P·G rollouts, T = longest prompt + completion − 1</td></tr>
 * </table>
 */
public final class GrpoTrainer implements AutoCloseable {

    /**
     * How GRPO samples and updates.
     *
     * @param groupSize    G, completions per prompt (≥ 2)
     * @param iterations   μ, optimizer steps on each batch of rollouts
     * @param temperature  sampling temperature
     * @param maxNewTokens longest completion
     * @param stopIds      the ids after which a completion ends (kept in it, so stopping is learned); may be empty
     * @param loss         clip ε and KL weight β
     * @param lr           learning rate (constant)
     * @param seed         seeds the sampling
     */
    public record Settings(int groupSize, int iterations, double temperature, int maxNewTokens, int[] stopIds,
                           ClippedPolicyLoss loss, double lr, long seed) {

        /** Completions that end after {@code endOfTurn}, or run to {@code maxNewTokens} when it is −1. */
        public Settings(int groupSize, int iterations, double temperature, int maxNewTokens, int endOfTurn,
                        ClippedPolicyLoss loss, double lr, long seed) {
            this(groupSize, iterations, temperature, maxNewTokens, endOfTurn < 0 ? new int[0] : new int[] {endOfTurn},
                    loss, lr, seed);
        }
    }

    /** Scores one completion (its ids, end of turn included) of prompt number {@code prompt}. */
    @FunctionalInterface
    public interface RewardFunction {
        double reward(int prompt, int[] completion);
    }

    /**
     * What one step did.
     *
     * @param loss             the clipped objective (with β·KL) at the first iteration
     * @param rewardMean       mean reward over the rollouts
     * @param rewardStd        their standard deviation
     * @param kl               mean KL estimate to the reference at the first iteration
     * @param clipFraction     share of clipped tokens at the last iteration
     * @param completionLength mean completion length in tokens
     */
    public record StepReport(double loss, double rewardMean, double rewardStd, double kl, double clipFraction,
                             double completionLength) {
    }

    private final MoeTransformer policy;
    private final MoeTransformer reference;
    private final NDManager manager;
    private final ParameterStore store;
    private final Settings settings;
    private final TrainedWeights weights;
    private final AdamW optimizer;
    private final Generator generator;
    private int steps;

    /**
     * A trainer of {@code policy} (in {@code manager}) held near {@code reference}, a frozen copy of its starting
     * weights; {@code optimizer}'s lr and schedule are replaced by {@code settings.lr()}.
     */
    public GrpoTrainer(MoeTransformer policy, MoeTransformer reference, NDManager manager, Settings settings,
                       OptimizerSpec optimizer) {
        this(policy, reference, manager, settings, TrainedWeights.of(policy, null, optimizer, manager, settings.seed()));
    }

    /**
     * A trainer of {@code policy} that updates {@code weights} (every weight of the policy, or LoRA adapters on it:
     * the reference then stays the base), which it closes when closed.
     */
    public GrpoTrainer(MoeTransformer policy, MoeTransformer reference, NDManager manager, Settings settings,
                       TrainedWeights weights) {
        if (settings.groupSize() < 2) {
            throw new IllegalArgumentException("groupSize must be ≥ 2: one completion has no group to compare with");
        }
        this.policy = policy;
        this.reference = reference;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.settings = settings;
        this.weights = weights;
        this.optimizer = weights.optimizer();
        this.generator = new Generator(policy, manager);
    }

    /** What the optimizer updates, for checkpoints. */
    public TrainedWeights weights() {
        return weights;
    }

    /** One GRPO step over {@code prompts} at the settings' learning rate. */
    public StepReport step(List<int[]> prompts, RewardFunction rewardFunction) {
        return step(prompts, rewardFunction, settings.lr());
    }

    /** One GRPO step over {@code prompts} at learning rate {@code lr} (a schedule's value for this step). */
    public StepReport step(List<int[]> prompts, RewardFunction rewardFunction, double lr) {
        GradMode.offOnThisThread();
        steps++;
        // dropout's masks, like the sampling seeds, are a function of (seed, step), so a resumed run draws the same
        Engine.getInstance().setRandomSeed((int) (settings.seed() * 31 + steps));
        int g = settings.groupSize();
        List<int[]> completions = new ArrayList<>();
        double[] rewards = new double[prompts.size() * g];
        for (int p = 0; p < prompts.size(); p++) {
            int[][] group = sampleGroup(prompts.get(p), p * g);
            for (int i = 0; i < g; i++) {
                completions.add(group[i]);
                rewards[p * g + i] = rewardFunction.reward(p, group[i]);
            }
        }
        double[] advantages = GroupAdvantages.of(rewards, g);
        Rollouts batch = Rollouts.of(prompts, completions, g);
        double loss = Double.NaN;
        double kl = Double.NaN;
        double clipFraction = Double.NaN;
        try (NDManager step = manager.newSubManager()) {
            Shape shape = new Shape(batch.rows, batch.length);
            NDArray inputs = step.create(batch.inputs, shape).toType(DataType.INT64, false);
            NDArray targets = step.create(batch.targets, shape);
            NDArray mask = step.create(batch.mask, shape);
            NDArray advantage = step.create(toFloats(advantages));
            NDArray old = logProbs(policy, inputs, targets);
            NDArray ref = settings.loss().beta() == 0 ? old : logProbs(reference, inputs, targets);
            for (int iteration = 0; iteration < settings.iterations(); iteration++) {
                // this iteration's activations live in step's manager until the batch is done; μ is small
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = policy.apply(store, inputs, true).get(0);
                    NDArray current = NextTokenLoss.perToken(logits, targets).neg();
                    ClippedPolicyLoss.Result result = settings.loss().compute(current, old, ref, advantage, mask);
                    collector.backward(result.loss());
                    loss = iteration == 0 ? result.loss().getFloat() : loss;
                    kl = iteration == 0 ? result.kl() : kl;
                    clipFraction = result.clipFraction();
                }
                weights.step(lr);
            }
        }
        return new StepReport(loss, mean(rewards), std(rewards), kl, clipFraction,
                completions.stream().mapToInt(c -> c.length).average().orElse(0));
    }

    /** Steps taken so far (the sampler's position). */
    public int steps() {
        return steps;
    }

    /** Puts the sampler at {@code steps} steps taken, for a resume whose weights and optimizer are those of that step. */
    public void startAt(int steps) {
        this.steps = steps;
    }

    /** The policy's optimizer, for checkpoints. */
    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * The group of completions of {@code prompt}, rollouts {@code first} to {@code first + G − 1}: sampled tokens up
     * to and including the end of turn, if it came. Each rollout's seed is a function of (seed, step, rollout).
     */
    private int[][] sampleGroup(int[] prompt, int first) {
        long[] seeds = new long[settings.groupSize()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = settings.seed() * 1_000_003L + steps * 7_919L + first + i;
        }
        Generation[] generations = generator.generateGroup(prompt, seeds, new GenerationConfig(settings.maxNewTokens(),
                settings.temperature(), 1, 0, settings.stopIds(), null));
        int[][] group = new int[seeds.length][];
        for (int i = 0; i < seeds.length; i++) {
            // the generator leaves the stop id out; we keep it, so stopping is learned
            int[] tokens = generations[i].tokens();
            if (generations[i].reason() == Generation.StopReason.STOP_ID) {
                tokens = Arrays.copyOf(tokens, tokens.length + 1);
                tokens[tokens.length - 1] = generations[i].stopId();
            }
            group[i] = tokens;
        }
        return group;
    }

    /** Each target's log-probability under {@code model}, (B, T), recorded by no graph. */
    private NDArray logProbs(MoeTransformer model, NDArray inputs, NDArray targets) {
        return NextTokenLoss.perToken(model.apply(store, inputs, false).get(0), targets).neg();
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double std(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
    }

    @Override
    public void close() {
        weights.close();
    }

    /** Prompt + completion rows, right-padded; the mask marks the completion's targets. */
    private record Rollouts(int[] inputs, int[] targets, float[] mask, int rows, int length) {

        static Rollouts of(List<int[]> prompts, List<int[]> completions, int groupSize) {
            int rows = completions.size();
            int length = 1;
            for (int r = 0; r < rows; r++) {
                length = Math.max(length, prompts.get(r / groupSize).length + completions.get(r).length - 1);
            }
            int[] inputs = new int[rows * length];
            int[] targets = new int[rows * length];
            float[] mask = new float[rows * length];
            for (int r = 0; r < rows; r++) {
                int[] prompt = prompts.get(r / groupSize);
                int[] completion = completions.get(r);
                int[] full = Arrays.copyOf(prompt, prompt.length + completion.length);
                System.arraycopy(completion, 0, full, prompt.length, completion.length);
                for (int t = 0; t + 1 < full.length; t++) {
                    inputs[r * length + t] = full[t];
                    targets[r * length + t] = full[t + 1];
                    mask[r * length + t] = t + 1 >= prompt.length ? 1f : 0f;
                }
            }
            return new Rollouts(inputs, targets, mask, rows, length);
        }
    }
}
