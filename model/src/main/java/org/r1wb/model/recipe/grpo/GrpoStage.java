package org.r1wb.model.recipe.grpo;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.recipe.EpochShuffle;
import org.r1wb.model.recipe.StageRuns;
import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.LrSchedule;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.TrainedWeights;
import org.r1wb.pipeline.bpe.BpeTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * GRPO as a run: a policy started from the {@code init} checkpoint, held near a frozen copy of it, trained for
 * {@code steps} steps of {@code batchSize} prompts × {@code groupSize} completions, with the same journal events and
 * checkpoint folders as the {@link org.r1wb.model.train.Trainer}.
 *
 * <p>Resume is exact because nothing random carries state between steps: the prompts of step s are a function of
 * (seed, s) — an epoch-wise shuffle — and every rollout's sampling seed and the dropout seed are functions of
 * (seed, s, rollout). A checkpoint holds the weights, the optimizer state and, in {@code meta.json}, the step and
 * seed, which together are the sampler's position; the reference is always re-read from {@code init}.
 *
 * <p>With {@link #withLora} adapters only the adapters train, kept as {@link TrainedWeights} keeps them: checkpoints
 * hold the merged weights and the adapters' optimizer state, the adapters lie in {@code adapters/<name>}.
 */
public final class GrpoStage {

    /**
     * What the stage runs.
     *
     * @param runId           names the run in checkpoints and messages
     * @param model           the policy's spec (init must hold weights of it)
     * @param seed            fixes prompt order, sampling and dropout
     * @param steps           GRPO steps
     * @param batchSize       prompts per step
     * @param optimizer       AdamW and its warmup + cosine schedule
     * @param groupSize       G, completions per prompt (≥ 2)
     * @param iterations      μ, optimizer steps per batch of rollouts
     * @param temperature     sampling temperature
     * @param maxNewTokens    longest completion
     * @param clip            ε of the clipped ratio
     * @param beta            β, weight of the k3 KL to the reference
     * @param checkpointEvery steps between periodic checkpoints
     * @param keep            periodic checkpoints kept (0: all)
     * @param init            checkpoint folder of the starting policy and the reference
     */
    public record Config(String runId, ModelSpec model, long seed, int steps, int batchSize, OptimizerSpec optimizer,
                         int groupSize, int iterations, double temperature, int maxNewTokens, double clip, double beta,
                         int checkpointEvery, int keep, Path init) {
    }

    /** How prompts become ids and completions become text. */
    public interface Codec {
        /** The generation prompt of {@code text}. */
        int[] prompt(String text);

        /** The text of completion ids (end of turn removed), special tokens written out. */
        String decode(int[] completion);

        /** The id that ends a completion, or −1 for none. */
        int endOfTurn();

        /**
         * The ids after which a completion ends, each kept in it as the last token so that stopping is learned: the
         * end of turn, and any the stage adds ({@code stopAfter}).
         */
        default int[] stopIds() {
            return endOfTurn() < 0 ? new int[0] : new int[] {endOfTurn()};
        }

        /**
         * The chat template's codec, a completion also ending after any of {@code stopAfter} (special tokens of the
         * tokenizer, e.g. {@code </answer>}): then the answer is complete and nothing after it is sampled or scored.
         */
        static Codec of(ChatTemplate template, BpeTokenizer tokenizer, List<String> stopAfter) {
            Codec plain = of(template, tokenizer);
            int[] stops = new int[stopAfter.size() + 1];
            stops[0] = plain.endOfTurn();
            for (int i = 0; i < stopAfter.size(); i++) {
                Integer id = tokenizer.specialTokens().get(stopAfter.get(i));
                if (id == null) {
                    throw new IllegalArgumentException("stopAfter names \"" + stopAfter.get(i) + "\", which is not a "
                            + "special token of the tokenizer: use one of " + tokenizer.specialTokens().keySet());
                }
                stops[i + 1] = id;
            }
            return new Codec() {
                @Override
                public int[] prompt(String text) {
                    return plain.prompt(text);
                }

                @Override
                public String decode(int[] completion) {
                    return plain.decode(completion);
                }

                @Override
                public int endOfTurn() {
                    return plain.endOfTurn();
                }

                @Override
                public int[] stopIds() {
                    return stops.clone();
                }
            };
        }

        /** The chat template's codec. */
        static Codec of(ChatTemplate template, BpeTokenizer tokenizer) {
            return new Codec() {
                @Override
                public int[] prompt(String text) {
                    return template.prompt(text);
                }

                @Override
                public String decode(int[] completion) {
                    return tokenizer.decode(completion);
                }

                @Override
                public int endOfTurn() {
                    return template.endOfTurn();
                }
            };
        }
    }

    /** Evaluates the policy on held-out prompts before the first step and every {@code every} steps (and at the end). */
    public record Validation(HeldoutEvaluation evaluation, int every) {
    }

    private static final String CHECKPOINTS = "checkpoints";

    private final Config config;
    private final List<GrpoPrompt> prompts;
    private final Codec codec;
    private final WeightedRewards rewards;
    private final List<int[]> promptIds;
    private final Validation validation;
    private LoraSpec lora;

    /** A stage over {@code prompts}, scored by {@code rewards}. */
    public GrpoStage(Config config, List<GrpoPrompt> prompts, Codec codec, WeightedRewards rewards) {
        this(config, prompts, codec, rewards, null);
    }

    /** A stage over {@code prompts}, scored by {@code rewards}, validated on held-out prompts ({@code null}: none). */
    public GrpoStage(Config config, List<GrpoPrompt> prompts, Codec codec, WeightedRewards rewards,
                     Validation validation) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to train on");
        }
        this.config = config;
        this.prompts = List.copyOf(prompts);
        this.codec = codec;
        this.rewards = rewards;
        this.validation = validation;
        this.promptIds = new ArrayList<>();
        for (GrpoPrompt prompt : prompts) {
            int[] ids = codec.prompt(prompt.prompt());
            // the update runs prompt + completion in one forward pass, which must fit the model's positions
            if (ids.length + config.maxNewTokens() - 1 > config.model().maxSeqLen()) {
                throw new IllegalArgumentException(prompt.where() + ": the prompt's " + ids.length + " tokens + "
                        + "maxNewTokens " + config.maxNewTokens() + " exceed the model's maxSeqLen "
                        + config.model().maxSeqLen() + ": shorten the prompt or lower maxNewTokens");
            }
            promptIds.add(ids);
        }
    }

    /**
     * Trains low-rank adapters on {@code lora}'s projections instead of every weight ({@code null}: every weight), as
     * {@link TrainedWeights} keeps them: the reference stays the init base; returns this stage.
     */
    public GrpoStage withLora(LoraSpec lora) {
        this.lora = lora;
        return this;
    }

    /**
     * Runs the stage in {@code runDir} from its latest checkpoint, if any (a finished stage is passed over), to the
     * end, to {@code cancelled} (checkpoint, then status {@code cancelled}) or to a failure.
     */
    public TrainResult run(Path runDir, EventSink events, BooleanSupplier cancelled) throws IOException {
        Path checkpoints = runDir.resolve(CHECKPOINTS);
        StageRuns.Start start = StageRuns.start(checkpoints, config.model(), config.seed(), config.runId());
        if (start.done() >= config.steps()) {
            return start.alreadyFinished(config.steps(), events);
        }
        Path from = start.from();
        CheckpointMeta resumed = start.resumed();
        int done = start.done();
        CheckpointMeta initMeta = StageRuns.init(config.init(), config.model(), config.runId(), "grpo starts from");
        List<Double> losses = new ArrayList<>();
        Path last = from;
        try (NDManager root = NDManager.newBaseManager()) {
            MoeTransformer reference = Checkpoints.loadModel(config.init(), initMeta, root);
            MoeTransformer policy = MoeTransformer.create(config.model(), root, config.seed());
            TrainedWeights weights = TrainedWeights.start(policy, config.init(), from, lora, config.optimizer(), root,
                    config.seed());
            GrpoTrainer.Settings settings = new GrpoTrainer.Settings(config.groupSize(), config.iterations(),
                    config.temperature(), config.maxNewTokens(), codec.stopIds(),
                    new ClippedPolicyLoss(config.clip(), config.beta()), config.optimizer().lr(), config.seed());
            LrSchedule schedule = LrSchedule.of(config.optimizer(), config.steps());
            try (GrpoTrainer trainer = new GrpoTrainer(policy, reference, root, settings, weights)) {
                if (resumed != null) {
                    trainer.startAt(done);
                    StageRuns.status(events, "running", "resuming " + config.runId() + " (grpo) from step " + done + " of "
                            + config.steps());
                } else {
                    StageRuns.status(events, "running", "training " + config.runId() + " (grpo) for " + config.steps()
                            + " steps from " + config.init());
                }
                if (done == 0) {
                    validate(policy, root, 0, events, runDir);
                }
                for (int step = done + 1; step <= config.steps(); step++) {
                    if (cancelled.getAsBoolean()) {
                        if (step - 1 > done) {
                            last = checkpoint(events, checkpoints, Checkpoints.stepName(step - 1), policy, trainer,
                                    step - 1, losses);
                        }
                        String message = "cancelled after step " + (step - 1);
                        StageRuns.status(events, "cancelled", message);
                        return new TrainResult(TrainResult.Outcome.CANCELLED, message, losses.size(), first(losses),
                                lastOf(losses), Double.NaN, last, 0);
                    }
                    double loss = step(trainer, step, schedule.at(step), events, runDir);
                    if (!Double.isFinite(loss)) {
                        String message = "the GRPO loss is not finite at step " + step;
                        events.emit("status", Map.of("state", "failed", "message", message, "step", step));
                        return new TrainResult(TrainResult.Outcome.FAILED, message, losses.size(), first(losses),
                                lastOf(losses), Double.NaN, last, 0);
                    }
                    losses.add(loss);
                    if (validation != null && (step % validation.every() == 0 || step == config.steps())) {
                        validate(policy, root, step, events, runDir);
                    }
                    if (step % config.checkpointEvery() == 0 && step < config.steps()) {
                        last = checkpoint(events, checkpoints, Checkpoints.stepName(step), policy, trainer, step,
                                losses);
                        Checkpoints.prune(checkpoints, config.keep());
                        TrainedWeights.pruneAdapters(checkpoints, config.keep());
                    }
                }
                last = checkpoint(events, checkpoints, Checkpoints.FINAL, policy, trainer, config.steps(), losses);
            }
        }
        String message = String.format("finished %d GRPO steps: loss %.4f → %.4f", config.steps(), first(losses),
                lastOf(losses));
        StageRuns.status(events, "finished", message);
        return new TrainResult(TrainResult.Outcome.FINISHED, message, losses.size(), first(losses), lastOf(losses),
                Double.NaN, last, 0);
    }

    private double step(GrpoTrainer trainer, int step, double lr, EventSink events, Path runDir) throws IOException {
        long start = System.nanoTime();
        List<Integer> batch = EpochShuffle.batch(step, config.batchSize(), prompts.size(), config.seed());
        List<int[]> ids = batch.stream().map(promptIds::get).toList();
        int terms = rewards.terms().size();
        List<double[]> scores = new ArrayList<>();
        List<List<RolloutLog.Scored>> byPrompt = new ArrayList<>();
        batch.forEach(p -> byPrompt.add(new ArrayList<>()));
        GrpoTrainer.StepReport report = trainer.step(ids, (p, completion) -> {
            int length = completion.length;
            if (length > 0 && completion[length - 1] == codec.endOfTurn()) {
                length--;
            }
            GrpoPrompt prompt = prompts.get(batch.get(p));
            String text = codec.decode(Arrays.copyOf(completion, length));
            double[] score = rewards.scores(new Completion(prompt.prompt(), text, prompt.target(), completion.length));
            scores.add(score);
            double total = rewards.total(score);
            Map<String, Double> named = new LinkedHashMap<>();
            for (int t = 0; t < terms; t++) {
                named.put(rewards.terms().get(t).reward().name(), score[t]);
            }
            byPrompt.get(p).add(new RolloutLog.Scored(text, total, named, completion.length));
            return total;
        }, lr);
        RolloutLog.append(runDir, RolloutLog.of(step, batch.stream().map(prompts::get).toList(), byPrompt));
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", step);
        metric.put("loss", report.loss());
        metric.put("lr", lr);
        metric.put("reward", report.rewardMean());
        metric.put("reward_std", report.rewardStd());
        for (int t = 0; t < terms; t++) {
            double[] values = new double[scores.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = scores.get(i)[t];
            }
            String name = rewards.terms().get(t).reward().name();
            metric.put("reward_" + name, Arrays.stream(values).average().orElse(Double.NaN));
            metric.put("reward_" + name + "_std", std(values));
        }
        metric.put("kl", report.kl());
        metric.put("completion_length", report.completionLength());
        metric.put("clip_fraction", report.clipFraction());
        metric.put("step_s", (System.nanoTime() - start) / 1e9);
        events.emit("metric", metric);
        return report.loss();
    }

    /**
     * The held-out metrics of the policy after {@code step} steps, as a {@code metric} event of that step; the answers
     * go to the run folder's {@link HeldoutEvaluation#FILE}.
     */
    private void validate(MoeTransformer policy, NDManager root, int step, EventSink events, Path runDir)
            throws IOException {
        if (validation == null) {
            return;
        }
        HeldoutEvaluation.Result result;
        try (NDManager scratch = root.newSubManager()) {
            result = validation.evaluation().evaluate(policy, scratch);
        }
        RolloutLog.append(runDir, HeldoutEvaluation.FILE, new RolloutLog.Step(step, result.answers()));
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", step);
        metric.putAll(result.metrics());
        events.emit("metric", metric);
    }

    private Path checkpoint(EventSink events, Path checkpoints, String name, MoeTransformer policy,
                            GrpoTrainer trainer, int step, List<Double> losses) throws IOException {
        trainer.weights().saveAdapters(checkpoints, name);
        return StageRuns.checkpoint(events, checkpoints, name, policy, trainer.optimizer(), new CheckpointMeta(
                Checkpoints.FORMAT_VERSION, config.runId(), step, config.model(), null, lastOf(losses), null, config.seed()));
    }

    private static double std(double[] values) {
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
    }

    private static double first(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    private static double lastOf(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }
}
