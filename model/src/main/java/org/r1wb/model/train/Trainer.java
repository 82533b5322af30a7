package org.r1wb.model.train;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.r1wb.model.nn.Autocast;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.RoutingStats;
import org.r1wb.model.nn.Scalars;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.SpecProblem;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Trains a {@link MoeTransformer}: pretraining on a token stream or supervised fine-tuning ({@link RunSpec#SFT}) on
 * packed prompt/response batches from a checkpoint, with the same loop. Seeded batches, next-token cross-entropy
 * (over the loss mask's targets when the batch has one; plus the
 * balance loss under {@link Balancing#AUX_LOSS}), gradients summed over {@link RunSpec#gradAccumulation()}
 * micro-batches, {@link AdamW} with warmup + cosine and global-norm clipping, the
 * auxiliary-loss-free bias update after each step under {@link Balancing#AUX_FREE}, periodic validation and
 * atomic checkpoints. Everything it does is reported through an {@link EventSink} (see {@code docs/EVENTS.md}).
 * On CPU the same seed gives the same losses. With {@link RunSpec#lora()} only low-rank adapters train
 * ({@link TrainedWeights}): checkpoints hold the merged weights, the adapters go beside them, and the selection bias
 * stays the base's.
 *
 * <p>The {@code aux_loss} metric is the mean over MoE layers of the balance statistic {@code E · Σ f_i · P_i}
 * (1 when perfectly balanced), reported under every balancing mode; only under {@link Balancing#AUX_LOSS} does it
 * enter the objective, scaled by {@code auxLossWeight}. {@code loss} is always the plain cross-entropy.
 */
public final class Trainer {

    private static final int FINAL_LOSS_WINDOW = 10;
    /** Consecutive steps with a non-finite gradient norm (each skipped) after which a run counts as diverged. */
    private static final int MAX_NON_FINITE_STEPS = 3;
    private static final String CHECKPOINTS = "checkpoints";

    /** Runs {@code spec} to the end, to a cancellation, or to a failure; checkpoints go to {@code runDir/checkpoints}. */
    public TrainResult train(RunSpec spec, TokenSource train, TokenSource val, Path runDir, EventSink events,
                             BooleanSupplier cancelled) throws IOException {
        return train(spec, TrainingData.windows(train), TrainingData.windows(val), runDir, events, cancelled);
    }

    /** As {@link #train(RunSpec, TokenSource, TokenSource, Path, EventSink, BooleanSupplier)}, on any batches. */
    public TrainResult train(RunSpec spec, TrainingData train, TrainingData val, Path runDir, EventSink events,
                             BooleanSupplier cancelled) throws IOException {
        return start(spec, train, val, runDir, events, cancelled, false);
    }

    /**
     * Continues {@code spec} from the latest checkpoint in {@code runDir/checkpoints} (weights, selection biases,
     * AdamW moments and step count, and the sampler's position), or starts it afresh when there is none. On CPU the
     * losses of every later step equal those of an uninterrupted run bit for bit. Steps after that checkpoint which
     * the interrupted run had already journaled are run and journaled again.
     */
    public TrainResult resume(RunSpec spec, TokenSource train, TokenSource val, Path runDir, EventSink events,
                              BooleanSupplier cancelled) throws IOException {
        return resume(spec, TrainingData.windows(train), TrainingData.windows(val), runDir, events, cancelled);
    }

    /** As {@link #resume(RunSpec, TokenSource, TokenSource, Path, EventSink, BooleanSupplier)}, on any batches. */
    public TrainResult resume(RunSpec spec, TrainingData train, TrainingData val, Path runDir, EventSink events,
                              BooleanSupplier cancelled) throws IOException {
        return start(spec, train, val, runDir, events, cancelled, true);
    }

    private TrainResult start(RunSpec spec, TrainingData train, TrainingData val, Path runDir, EventSink events,
                              BooleanSupplier cancelled, boolean resume) throws IOException {
        try {
            checkInputs(spec, train, val);
            Path from = resume ? Checkpoints.latest(runDir.resolve(CHECKPOINTS)).orElse(null) : null;
            return new Session(spec, train, val, runDir, events, cancelled).run(from);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            if (isOutOfMemory(e)) {
                IllegalStateException explained = new IllegalStateException(outOfMemory(spec), e);
                events.emit("status", Map.of("state", "failed", "message", explained.getMessage()));
                throw explained;
            }
            events.emit("status", Map.of("state", "failed", "message", String.valueOf(e.getMessage())));
            throw e;
        }
    }

    private static boolean isOutOfMemory(Throwable e) {
        return e instanceof OutOfMemoryError
                || e instanceof EngineException && String.valueOf(e.getMessage()).matches("(?is).*(out of memory|alloc).*");
    }

    /** What ran out, what the estimate says a step needs, and the batch size that would fit in this machine. */
    static String outOfMemory(RunSpec spec) {
        long state = ModelEstimates.of(spec.model()).trainingStateBytes();
        long activations = ModelEstimates.activationBytes(spec.model(), spec.batchSize(), spec.seqLen());
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long perWindow = Math.max(1, activations / spec.batchSize());
        long fitting = Math.max(0, (physical / 2 - state) / perWindow); // half the machine: the rest is the OS and libtorch's temporaries
        return String.format("out of memory at batch %d × seq %d: the estimate is %.2f GiB (weights, gradients and AdamW"
                        + " state %.2f GiB + activations %.2f GiB) on a machine with %.1f GiB; set batchSize to at most %d"
                        + " (about %.2f GiB) and raise gradAccumulation to keep the tokens per step, or shorten seqLen",
                spec.batchSize(), spec.seqLen(), gib(state + activations), gib(state), gib(activations), gib(physical),
                fitting, gib(state + fitting * perWindow));
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }

    private static void checkInputs(RunSpec spec, TrainingData train, TrainingData val) {
        List<SpecProblem> problems = RunSpecValidator.validate(spec);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the run spec has " + problems.size() + " problem(s): "
                    + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
        }
        ModelSpec model = spec.model();
        for (TrainingData source : new TrainingData[] {train, val}) {
            if (source.vocabSize() > model.vocabSize()) {
                throw new IllegalArgumentException("the data's vocabulary (" + source.vocabSize()
                        + " ids) is larger than the model's vocabSize (" + model.vocabSize()
                        + "): set model.vocabSize to at least " + source.vocabSize()
                        + " or retokenize with a smaller vocabulary");
            }
        }
    }

    /** The state of one run. */
    private static final class Session {
        private final RunSpec spec;
        private final TrainingData train;
        private final TrainingData val;
        private final Path runDir;
        private final Path checkpointsDir;
        private final EventSink events;
        private final BooleanSupplier cancelled;
        private final LrSchedule schedule;
        private final List<Double> losses = new ArrayList<>();
        private double valLoss = Double.NaN;
        private long stepNanos;
        private CheckpointInfo lastCheckpoint;
        private String divergence;
        private int nonFiniteStreak;
        /** Each MoE layer's routing over the last step's micro-batches. */
        private List<RoutingStats> stepRouting = List.of();

        Session(RunSpec spec, TrainingData train, TrainingData val, Path runDir, EventSink events,
                BooleanSupplier cancelled) {
            this.spec = spec;
            this.train = train;
            this.val = val;
            this.runDir = runDir;
            this.checkpointsDir = runDir.resolve(CHECKPOINTS);
            this.events = events;
            this.cancelled = cancelled;
            this.schedule = LrSchedule.of(spec.optimizer(), spec.steps());
        }

        /** Trains from scratch, or from the checkpoint folder {@code from} when it is not {@code null}. */
        TrainResult run(Path from) throws IOException {
            GradMode.offOnThisThread();
            CheckpointMeta resumed = from == null ? null : resumable(from);
            int done = resumed == null ? 0 : resumed.step();
            if (done >= spec.steps()) {
                String message = "already finished: " + from + " is at step " + done + " of " + spec.steps();
                status("finished", message);
                lastCheckpoint = new CheckpointInfo(done, from, resumed.weightsDigest());
                valLoss = resumed.valLoss() == null ? Double.NaN : resumed.valLoss();
                return result(TrainResult.Outcome.FINISHED, message);
            }
            try (NDManager root = NDManager.newBaseManager()) {
                MoeTransformer model = MoeTransformer.create(spec.model(), root, spec.seed());
                if (resumed != null) {
                    valLoss = resumed.valLoss() == null ? Double.NaN : resumed.valLoss();
                }
                // adapters resume on their base: the checkpoint's weights are the merged ones
                Path base = spec.init() != null && (resumed == null || spec.lora() != null) ? initCheckpoint() : null;
                ParameterStore store = new ParameterStore(root, false);
                BatchStream sampler = train.batches(spec.batchSize(), spec.seqLen(), spec.seed());
                sampler.skip(done * spec.gradAccumulation());
                List<TrainBatch> valBatches = validationBatches();
                try (TrainedWeights weights = TrainedWeights.start(model, base, from, spec.lora(), spec.optimizer(),
                        root, spec.seed())) {
                    if (resumed != null) {
                        lastCheckpoint = new CheckpointInfo(done, from, resumed.weightsDigest());
                        status("running", "resuming " + spec.id() + " from step " + done + " of " + spec.steps());
                    } else if (spec.init() != null) {
                        status("running", "training " + spec.id() + " (" + spec.stage() + ") for " + spec.steps()
                                + " steps from " + spec.init());
                    } else {
                        status("running", "training " + spec.id() + " for " + spec.steps() + " steps");
                    }
                    for (int step = done + 1; step <= spec.steps(); step++) {
                        if (cancelled.getAsBoolean()) {
                            checkpoint(model, weights, step - 1, Checkpoints.stepName(step - 1));
                            status("cancelled", "cancelled after step " + (step - 1));
                            return result(TrainResult.Outcome.CANCELLED, "cancelled after step " + (step - 1));
                        }
                        double loss = trainStep(model, store, weights, nextStep(sampler), step);
                        if (!Double.isFinite(loss)) {
                            return diverged(step);
                        }
                        boolean last = step == spec.steps();
                        if (due(spec.evalEvery(), step) || last) {
                            emitRouting(model, step);
                            valLoss = validate(model, store, root, valBatches);
                            events.emit("metric", Map.of("step", step, "val_loss", valLoss));
                        }
                        if (due(spec.checkpointEvery(), step) && !last) {
                            checkpoint(model, weights, step, Checkpoints.stepName(step));
                            Checkpoints.prune(checkpointsDir, spec.keepCheckpoints());
                            TrainedWeights.pruneAdapters(checkpointsDir, spec.keepCheckpoints());
                        }
                    }
                    checkpoint(model, weights, spec.steps(), Checkpoints.FINAL);
                }
            }
            String message = String.format("finished %d steps: loss %.4f → %.4f, val %.4f", spec.steps(),
                    losses.isEmpty() ? Double.NaN : losses.get(0), finalLoss(), valLoss);
            status("finished", message);
            return result(TrainResult.Outcome.FINISHED, message);
        }

        /** The micro-batches of the next optimizer step. */
        private List<TrainBatch> nextStep(BatchStream sampler) {
            List<TrainBatch> micro = new ArrayList<>(spec.gradAccumulation());
            for (int i = 0; i < spec.gradAccumulation(); i++) {
                micro.add(sampler.next());
            }
            return micro;
        }

        /**
         * One optimizer step over its micro-batches; returns the cross-entropy of the step's batch, or a non-finite
         * value (with {@link #divergence} set) when the loss or the gradient norm is not finite, in which case no
         * weight has changed.
         *
         * <p>Each micro-batch's objective is weighted by its share of the step's counted targets before its backward
         * pass, so the summed gradients are those of the mean over the whole step: k micro-batches of B windows give
         * one batch of k·B. The balance statistic is per micro-batch (as in Megatron-LM), averaged the same way; the
         * auxiliary-loss-free bias moves once, from the load summed over the micro-batches.
         */
        private double trainStep(MoeTransformer model, ParameterStore store, TrainedWeights weights,
                                 List<TrainBatch> microBatches, int step) {
            long start = System.nanoTime();
            // dropout's randomness is a function of (seed, step), so a resumed run draws the same masks
            Engine.getInstance().setRandomSeed((int) (spec.seed() * 31 + step));
            double lr = schedule.at(step);
            long counted = 0;
            for (TrainBatch batch : microBatches) {
                counted += batch.countedTargets();
            }
            double loss = 0;
            double balance = 0;
            List<List<RoutingStats>> routing = new ArrayList<>();
            for (TrainBatch batch : microBatches) {
                // a step without any counted target (all prompt) weighs its micro-batches alike; their losses are 0
                double weight = counted == 0 ? 1.0 / microBatches.size() : (double) batch.countedTargets() / counted;
                try (NDScope scope = new NDScope(); NDManager manager = store.getManager().newSubManager()) {
                    scope.suppressNotUsedWarning();
                    NDArray targets = tokens(manager, batch.targets(), batch);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDList out = forward(model, store, manager, batch, true);
                        NDArray crossEntropy = crossEntropy(manager, out.get(0), targets, batch);
                        NDArray objective = crossEntropy;
                        if (usesAuxLoss()) {
                            objective = crossEntropy.add(Scalars.mul(out.get(1), spec.model().moe().auxLossWeight()));
                        }
                        double microLoss = crossEntropy.getFloat();
                        loss += weight * microLoss;
                        balance += weight * out.get(1).getFloat();
                        if (!Double.isFinite(microLoss)) {
                            divergence = "loss became " + microLoss;
                            return microLoss;
                        }
                        collector.backward(Scalars.mul(objective, weight));
                    }
                }
                routing.add(model.moeLayers().stream().map(layer -> layer.moe().lastStats()).toList());
            }
            double gradNorm = weights.step(lr);
            if (!Double.isFinite(gradNorm)) {
                // As AMP's loss scaler does: skip the update (AdamW left weights and moments untouched) and go
                // on; only a streak of non-finite gradients means the run has diverged.
                if (++nonFiniteStreak >= MAX_NON_FINITE_STEPS) {
                    divergence = "the gradient norm was " + gradNorm + " for " + nonFiniteStreak + " steps in a row";
                    return Double.NaN;
                }
                events.emit("log", Map.of("level", "warn", "step", step,
                        "message", "step " + step + " skipped: the gradient norm was " + gradNorm
                                + "; weights and optimizer state unchanged"));
            } else {
                nonFiniteStreak = 0;
            }
            stepRouting = combined(routing);
            // with adapters the selection bias belongs to the frozen base
            if (spec.model().moe() != null && spec.model().moe().balancing() == Balancing.AUX_FREE
                    && !weights.adapted()) {
                double rate = spec.model().moe().biasUpdateRate();
                List<MoeTransformer.IndexedMoe> layers = model.moeLayers();
                for (int i = 0; i < layers.size(); i++) {
                    layers.get(i).moe().router().updateBias(stepRouting.get(i).tokensPerExpert(), rate);
                }
            }
            long elapsed = System.nanoTime() - start;
            stepNanos += elapsed;
            losses.add(loss);
            Map<String, Object> metric = new LinkedHashMap<>();
            metric.put("step", step);
            metric.put("loss", loss);
            metric.put("lr", lr);
            if (Double.isFinite(gradNorm)) {
                metric.put("grad_norm", gradNorm);
            } else {
                metric.put("skipped", true);
            }
            metric.put("tokens_per_s", (double) tokensPerStep() / (elapsed / 1e9));
            metric.put("aux_loss", balance);
            events.emit("metric", metric);
            return loss;
        }

        /** A checkpoint's meta, after checking that it belongs to this run's model and seed. */
        private CheckpointMeta resumable(Path from) throws IOException {
            CheckpointMeta meta = Checkpoints.readMeta(from);
            if (!meta.model().equals(spec.model()) || meta.seed() != spec.seed()) {
                throw new IllegalArgumentException(from + " was written for another model spec or seed than run "
                        + spec.id() + "'s: resume with the run.json that wrote it, or start the run in a new folder");
            }
            return meta;
        }

        /** Stops on a non-finite loss before any update, so the last checkpoint written stays the last good one. */
        private TrainResult diverged(int step) {
            String message = divergence + " at step " + step;
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("state", "failed");
            fields.put("message", message);
            fields.put("step", step);
            if (lastCheckpoint != null) {
                fields.put("last_checkpoint", checkpointsDir.getParent().relativize(lastCheckpoint.path()).toString());
            }
            events.emit("status", fields);
            return result(TrainResult.Outcome.FAILED, message);
        }

        private boolean usesAuxLoss() {
            return spec.model().moe() != null && spec.model().moe().balancing() == Balancing.AUX_LOSS;
        }

        /** The checkpoint folder named by the spec's {@code init}, after checking its weights fit this model. */
        private Path initCheckpoint() throws IOException {
            Path init = runDir.resolve(spec.init()).normalize();
            if (!Files.isDirectory(init)) {
                throw new IllegalArgumentException("init: no checkpoint folder at " + init
                        + ": name a step-N or final folder of an earlier run");
            }
            CheckpointMeta meta = Checkpoints.readMeta(init);
            if (!meta.model().equals(spec.model())) {
                throw new IllegalArgumentException("init: " + init + " holds weights of another model spec than run "
                        + spec.id() + "'s: use the model spec of the run that wrote it");
            }
            return init;
        }

        private List<TrainBatch> validationBatches() {
            // a fixed set, drawn once, so successive validation losses are comparable
            BatchStream sampler = val.batches(spec.batchSize(), spec.seqLen(), ~spec.seed());
            List<TrainBatch> batches = new ArrayList<>();
            for (int i = 0; i < spec.evalBatches(); i++) {
                batches.add(sampler.next());
            }
            return batches;
        }

        private double validate(MoeTransformer model, ParameterStore store, NDManager root,
                                List<TrainBatch> batches) {
            double sum = 0;
            for (TrainBatch batch : batches) {
                try (NDScope scope = new NDScope(); NDManager manager = root.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    NDList out = forward(model, store, manager, batch, false);
                    sum += crossEntropy(manager, out.get(0), tokens(manager, batch.targets(), batch), batch).getFloat();
                }
            }
            return sum / batches.size();
        }

        private void emitRouting(MoeTransformer model, int step) {
            List<MoeTransformer.IndexedMoe> layers = model.moeLayers();
            for (int i = 0; i < layers.size(); i++) {
                MoeTransformer.IndexedMoe layer = layers.get(i);
                RoutingStats stats = stepRouting.get(i);
                Map<String, Object> routing = new LinkedHashMap<>();
                routing.put("step", step);
                routing.put("layer", layer.layer());
                routing.put("load", stats.loadFractions());
                routing.put("cv", stats.loadCv());
                routing.put("entropy", stats.entropy());
                routing.put("bias", layer.moe().router().selectionBias());
                events.emit("routing", routing);
            }
        }

        private void checkpoint(MoeTransformer model, TrainedWeights weights, int step, String name)
                throws IOException {
            double trainLoss = losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
            CheckpointMeta meta = new CheckpointMeta(Checkpoints.FORMAT_VERSION, spec.id(), step, spec.model(), null,
                    trainLoss, Double.isNaN(valLoss) ? null : valLoss, spec.seed());
            weights.saveAdapters(checkpointsDir, name);
            lastCheckpoint = Checkpoints.write(checkpointsDir, name, model, weights.optimizer(), meta);
            // relative to the run folder, so a workspace (or a remote run's folder) can move
            String path = checkpointsDir.getParent().relativize(lastCheckpoint.path()).toString();
            events.emit("checkpoint", Map.of("step", step, "path", path,
                    "digest", lastCheckpoint.digest()));
        }

        private void status(String state, String message) {
            events.emit("status", Map.of("state", state, "message", message));
        }

        private double finalLoss() {
            int from = Math.max(0, losses.size() - FINAL_LOSS_WINDOW);
            return losses.subList(from, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        private TrainResult result(TrainResult.Outcome outcome, String message) {
            double initial = losses.isEmpty() ? Double.NaN : losses.get(0);
            double tokens = (double) losses.size() * tokensPerStep();
            double tokensPerSecond = stepNanos == 0 ? 0 : tokens / (stepNanos / 1e9);
            return new TrainResult(outcome, message, losses.size(), initial, finalLoss(), valLoss,
                    lastCheckpoint == null ? null : lastCheckpoint.path(), tokensPerSecond);
        }

        /** Token positions one optimizer step trains on, over all its micro-batches. */
        private long tokensPerStep() {
            return (long) spec.gradAccumulation() * spec.batchSize() * spec.seqLen();
        }

        /**
         * Each MoE layer's routing over a step's micro-batches (per micro-batch, then per layer): the loads summed,
         * entropy and balance statistic averaged (every micro-batch routes the same number of tokens).
         */
        private static List<RoutingStats> combined(List<List<RoutingStats>> perMicroBatch) {
            List<RoutingStats> combined = new ArrayList<>();
            for (int layer = 0; layer < perMicroBatch.get(0).size(); layer++) {
                long[] load = new long[perMicroBatch.get(0).get(layer).tokensPerExpert().length];
                double entropy = 0;
                double balance = 0;
                for (List<RoutingStats> micro : perMicroBatch) {
                    RoutingStats stats = micro.get(layer);
                    for (int e = 0; e < load.length; e++) {
                        load[e] += stats.tokensPerExpert()[e];
                    }
                    entropy += stats.entropy() / perMicroBatch.size();
                    balance += stats.balanceLoss() / perMicroBatch.size();
                }
                combined.add(perMicroBatch.size() == 1 ? perMicroBatch.get(0).get(layer)
                        : new RoutingStats(load, entropy, balance));
            }
            return combined;
        }

        private static boolean due(int every, int step) {
            return every > 0 && step % every == 0;
        }

        /**
         * Logits and balance loss of a batch, its packed examples kept apart when it has segments; under bf16 autocast
         * when the run asks for it (the backward pass follows what the forward recorded).
         */
        private NDList forward(MoeTransformer model, ParameterStore store, NDManager manager, TrainBatch batch,
                               boolean training) {
            NDArray ids = tokens(manager, batch.inputs(), batch);
            try (Autocast autocast = Autocast.bf16(spec.bf16())) {
                autocast.suppressNotUsedWarning();
                return batch.segments() == null ? model.apply(store, ids, training)
                        : model.apply(store, ids, training, batch.segments());
            }
        }

        /** Mean cross-entropy over the batch's counted targets. */
        private static NDArray crossEntropy(NDManager manager, NDArray logits, NDArray targets, TrainBatch batch) {
            if (batch.lossMask() == null) {
                return NextTokenLoss.mean(logits, targets);
            }
            NDArray mask = manager.create(batch.lossMask(), new Shape(batch.batchSize(), batch.seqLen()));
            return NextTokenLoss.masked(logits, targets, mask);
        }

        private static NDArray tokens(NDManager manager, int[] values, TrainBatch batch) {
            return manager.create(values, new Shape(batch.batchSize(), batch.seqLen())).toType(DataType.INT64, false);
        }
    }
}
