package org.r1wb.model.recipe.dpo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.recipe.EpochShuffle;
import org.r1wb.model.recipe.StageRuns;
import org.r1wb.model.recipe.sft.SftExample;
import org.r1wb.model.recipe.sft.SftSequence;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.LrSchedule;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.TrainedWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * DPO as a run: a policy started from the {@code init} checkpoint, trained on preference pairs with {@link DpoLoss}
 * against the frozen {@code init} weights as reference, with the same journal events and checkpoint folders as the
 * {@link org.r1wb.model.train.Trainer}.
 *
 * <p>The reference's log-probabilities of every training and held-out response are computed once, before the first
 * step, and cached in the run folder ({@link ReferenceCache}). Resume is exact because nothing random carries state
 * between steps: step s's pairs are a function of (seed, s) ({@link EpochShuffle}), and so is the dropout seed; a
 * checkpoint holds the weights, the AdamW state and, in {@code meta.json}, the step and seed.
 *
 * <p>With {@link LoraSpec} adapters only the adapters train ({@link TrainedWeights}); a checkpoint then holds the merged
 * weights (a plain model for the stages after), the adapters' AdamW state, and the adapters themselves in
 * {@code adapters/<name>}, written before it; a resume rebuilds the weights from the init base and those adapters.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>P</td><td>pairs per step ({@code batchSize}); a forward pass runs 2P rows, chosen then rejected</td></tr>
 * </table>
 */
public final class DpoStage {

    /**
     * What the stage runs.
     *
     * @param runId           names the run in checkpoints and messages
     * @param model           the policy's spec (init must hold weights of it)
     * @param seed            fixes pair order and dropout
     * @param steps           optimizer steps
     * @param batchSize       pairs per step
     * @param seqLen          longest templated conversation, in positions (tokens − 1)
     * @param optimizer       AdamW and its warmup + cosine schedule
     * @param beta            β of the loss
     * @param evalEvery       steps between held-out evaluations (also at the end)
     * @param checkpointEvery steps between periodic checkpoints
     * @param keep            periodic checkpoints kept (0: all)
     * @param init            checkpoint folder of the starting policy and the reference
     * @param lora            train low-rank adapters on these projections instead of every weight, or {@code null}
     */
    public record Config(String runId, ModelSpec model, long seed, int steps, int batchSize, int seqLen,
                         OptimizerSpec optimizer, double beta, int evalEvery, int checkpointEvery, int keep, Path init,
                         LoraSpec lora) {
    }

    private static final String CHECKPOINTS = "checkpoints";

    private final Config config;
    private final DpoLoss loss;
    private final Encoded train;
    private final Encoded heldOut;

    /**
     * A stage over {@code train} pairs, evaluated on {@code heldOut} (may be empty), each response rendered by
     * {@code encoder} (the chat template); a pair too long for {@code seqLen} is refused with its place.
     */
    public DpoStage(Config config, List<PreferencePair> train, List<PreferencePair> heldOut,
                    Function<SftExample, SftSequence> encoder) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no preference pairs to train on");
        }
        this.config = config;
        this.loss = new DpoLoss(config.beta());
        int limit = Math.min(config.seqLen(), config.model().maxSeqLen());
        this.train = Encoded.of(train, encoder, limit);
        this.heldOut = Encoded.of(heldOut, encoder, limit);
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
        CheckpointMeta initMeta = StageRuns.init(config.init(), config.model(), config.runId(), "dpo starts from");
        GradMode.offOnThisThread();
        List<Double> losses = new ArrayList<>();
        Double valLoss = null;
        Path last = from;
        try (NDManager root = NDManager.newBaseManager()) {
            float[] reference = reference(runDir, initMeta, root, events);
            MoeTransformer policy = MoeTransformer.create(config.model(), root, config.seed());
            ParameterStore store = new ParameterStore(root, false);
            LrSchedule schedule = LrSchedule.of(config.optimizer(), config.steps());
            try (TrainedWeights weights = TrainedWeights.start(policy, config.init(), from, config.lora(),
                    config.optimizer(), root, config.seed())) {
                if (resumed != null) {
                    StageRuns.status(events, "running", "resuming " + config.runId() + " (dpo) from step " + done + " of "
                            + config.steps());
                } else {
                    StageRuns.status(events, "running", "training " + config.runId() + " (dpo) for " + config.steps()
                            + " steps on " + train.size() + " pairs from " + config.init());
                }
                for (int step = done + 1; step <= config.steps(); step++) {
                    if (cancelled.getAsBoolean()) {
                        if (step - 1 > done) {
                            last = checkpoint(events, checkpoints, Checkpoints.stepName(step - 1), policy, weights,
                                    step - 1, losses, valLoss);
                        }
                        String message = "cancelled after step " + (step - 1);
                        StageRuns.status(events, "cancelled", message);
                        return new TrainResult(TrainResult.Outcome.CANCELLED, message, losses.size(), first(losses),
                                lastOf(losses), Double.NaN, last, 0);
                    }
                    double value = step(policy, weights, store, root, reference, step, schedule.at(step), events);
                    if (!Double.isFinite(value)) {
                        String message = "the DPO loss is not finite at step " + step;
                        events.emit("status", Map.of("state", "failed", "message", message, "step", step));
                        return new TrainResult(TrainResult.Outcome.FAILED, message, losses.size(), first(losses),
                                lastOf(losses), Double.NaN, last, 0);
                    }
                    losses.add(value);
                    if (heldOut.size() > 0 && (step % config.evalEvery() == 0 || step == config.steps())) {
                        valLoss = evaluate(policy, store, root, reference, step, events);
                    }
                    if (step % config.checkpointEvery() == 0 && step < config.steps()) {
                        last = checkpoint(events, checkpoints, Checkpoints.stepName(step), policy, weights, step,
                                losses, valLoss);
                        Checkpoints.prune(checkpoints, config.keep());
                        TrainedWeights.pruneAdapters(checkpoints, config.keep());
                    }
                }
                last = checkpoint(events, checkpoints, Checkpoints.FINAL, policy, weights, config.steps(), losses,
                        valLoss);
            }
        }
        String message = String.format("finished %d DPO steps: loss %.4f → %.4f", config.steps(), first(losses),
                lastOf(losses));
        StageRuns.status(events, "finished", message);
        return new TrainResult(TrainResult.Outcome.FINISHED, message, losses.size(), first(losses), lastOf(losses),
                valLoss == null ? Double.NaN : valLoss, last, 0);
    }

    /** One optimizer step on the pairs of step {@code step}; its loss. */
    private double step(MoeTransformer policy, TrainedWeights weights, ParameterStore store, NDManager root,
                        float[] reference, int step, double lr, EventSink events) {
        long start = System.nanoTime();
        // dropout's masks are a function of (seed, step), so a resumed run draws the same
        Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + step));
        List<Integer> batch = EpochShuffle.batch(step, config.batchSize(), train.size(), config.seed());
        DpoLoss.Result result;
        double value;
        try (NDManager manager = root.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                result = loss(policy, store, manager, train, 0, batch, reference, true);
                value = result.loss().getFloat();
                if (!Double.isFinite(value)) {
                    return value;
                }
                collector.backward(result.loss());
            }
        }
        double gradNorm = weights.step(lr);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", step);
        metric.put("loss", value);
        metric.put("lr", lr);
        metric.put("grad_norm", gradNorm);
        metric.put("margin", result.margin());
        metric.put("accuracy", result.accuracy());
        metric.put("chosen_reward", result.chosenReward());
        metric.put("rejected_reward", result.rejectedReward());
        metric.put("step_s", (System.nanoTime() - start) / 1e9);
        events.emit("metric", metric);
        return value;
    }

    /** Loss, implicit-reward margin and accuracy on every held-out pair; emits them, returns the loss. */
    private double evaluate(MoeTransformer policy, ParameterStore store, NDManager root, float[] reference, int step,
                            EventSink events) {
        int offset = 2 * train.size();
        double lossSum = 0;
        double marginSum = 0;
        double accuracySum = 0;
        double logpMarginSum = 0;
        for (int from = 0; from < heldOut.size(); from += config.batchSize()) {
            List<Integer> chunk = new ArrayList<>();
            for (int i = from; i < Math.min(heldOut.size(), from + config.batchSize()); i++) {
                chunk.add(i);
            }
            try (NDManager manager = root.newSubManager()) {
                DpoLoss.Result result = loss(policy, store, manager, heldOut, offset, chunk, reference, false);
                lossSum += result.loss().getFloat() * chunk.size();
                marginSum += result.margin() * chunk.size();
                accuracySum += result.accuracy() * chunk.size();
                // the policy's own chosen-over-rejected margin, β·Δ above plus the reference's fixed margin
                logpMarginSum += result.margin() / config.beta() * chunk.size();
                for (int i : chunk) {
                    logpMarginSum += reference[offset + i] - reference[offset + heldOut.size() + i];
                }
            }
        }
        int n = heldOut.size();
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", step);
        metric.put("val_loss", lossSum / n);
        metric.put("val_margin", marginSum / n);
        metric.put("val_accuracy", accuracySum / n);
        metric.put("val_logp_margin", logpMarginSum / n);
        events.emit("metric", metric);
        return lossSum / n;
    }

    /**
     * The DPO loss of pairs {@code indices} of {@code set}, whose reference values start at {@code offset} of
     * {@code reference} (chosen, then rejected, each {@code set.size()} long).
     */
    private DpoLoss.Result loss(MoeTransformer policy, ParameterStore store, NDManager manager, Encoded set,
                                int offset, List<Integer> indices, float[] reference, boolean training) {
        int p = indices.size();
        List<SftSequence> rows = new ArrayList<>(2 * p);
        float[] refChosen = new float[p];
        float[] refRejected = new float[p];
        for (int k = 0; k < p; k++) {
            int i = indices.get(k);
            rows.add(set.chosen().get(i));
            refChosen[k] = reference[offset + i];
            refRejected[k] = reference[offset + set.size() + i];
        }
        for (int i : indices) {
            rows.add(set.rejected().get(i));
        }
        NDArray logps = ResponseLogProbs.of(policy, store, manager, rows, training);         // (2P)
        return loss.compute(logps.get("0:" + p), logps.get(p + ":"), manager.create(refChosen),
                manager.create(refRejected));
    }

    /**
     * The reference's log-probabilities of train chosen, train rejected, held-out chosen, held-out rejected, in that
     * order: read from the run folder's cache, or computed with the init weights and cached.
     */
    private float[] reference(Path runDir, CheckpointMeta initMeta, NDManager root, EventSink events)
            throws IOException {
        List<SftSequence> all = new ArrayList<>(train.chosen());
        all.addAll(train.rejected());
        all.addAll(heldOut.chosen());
        all.addAll(heldOut.rejected());
        Path file = runDir.resolve(ReferenceCache.FILE);
        String key = ReferenceCache.key(initMeta.weightsDigest(), all.stream().map(SftSequence::tokens).toList());
        float[] cached = ReferenceCache.read(file, key);
        if (cached != null && cached.length == all.size()) {
            events.emit("log", Map.of("level", "info", "message", "reference log-probs read from " + file));
            return cached;
        }
        long start = System.nanoTime();
        float[] values = new float[all.size()];
        try (NDManager manager = root.newSubManager()) {
            MoeTransformer reference = Checkpoints.loadModel(config.init(), initMeta, manager);
            ParameterStore store = new ParameterStore(manager, false);
            int chunk = 2 * config.batchSize();
            for (int from = 0; from < all.size(); from += chunk) {
                try (NDManager scratch = manager.newSubManager()) {
                    float[] part = ResponseLogProbs.of(reference, store, scratch,
                            all.subList(from, Math.min(all.size(), from + chunk)), false).toFloatArray();
                    System.arraycopy(part, 0, values, from, part.length);
                }
            }
        }
        Files.createDirectories(runDir);
        ReferenceCache.write(file, key, values);
        events.emit("log", Map.of("level", "info", "message", String.format("reference log-probs of %d responses "
                + "computed in %.1f s and cached in %s", all.size(), (System.nanoTime() - start) / 1e9, file)));
        return values;
    }

    private Path checkpoint(EventSink events, Path checkpoints, String name, MoeTransformer policy,
                            TrainedWeights weights, int step, List<Double> losses, Double valLoss) throws IOException {
        weights.saveAdapters(checkpoints, name);
        return StageRuns.checkpoint(events, checkpoints, name, policy, weights.optimizer(), new CheckpointMeta(
                Checkpoints.FORMAT_VERSION, config.runId(), step, config.model(), null, lastOf(losses), valLoss, config.seed()));
    }

    private static double first(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    private static double lastOf(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }

    /** Pairs rendered by the chat template: chosen and rejected conversations, index for index. */
    private record Encoded(List<SftSequence> chosen, List<SftSequence> rejected) {

        static Encoded of(List<PreferencePair> pairs, Function<SftExample, SftSequence> encoder, int limit) {
            List<SftSequence> chosen = new ArrayList<>();
            List<SftSequence> rejected = new ArrayList<>();
            for (PreferencePair pair : pairs) {
                chosen.add(fitting(encoder.apply(new SftExample(pair.prompt(), pair.chosen(), pair.where())), pair,
                        limit));
                rejected.add(fitting(encoder.apply(new SftExample(pair.prompt(), pair.rejected(), pair.where())), pair,
                        limit));
            }
            return new Encoded(chosen, rejected);
        }

        private static SftSequence fitting(SftSequence sequence, PreferencePair pair, int limit) {
            if (sequence.length() - 1 > limit) {
                throw new IllegalArgumentException(pair.where() + ": a response's conversation takes "
                        + (sequence.length() - 1) + " positions, more than " + limit + " (seqLen and the model's "
                        + "maxSeqLen): shorten it or raise seqLen");
            }
            return sequence;
        }

        int size() {
            return chosen.size();
        }
    }
}
