package org.r1wb.model.recipe.distill;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.Scalars;
import org.r1wb.model.recipe.StageRuns;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.AdamW;
import org.r1wb.model.train.BatchStream;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.LrSchedule;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.TrainBatch;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.TrainingData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Logit distillation as a run: a student built from its own spec and seed learns the frozen teacher's next-token
 * distributions on windows of token data ({@link DistillLoss}), with the same journal events and checkpoint folders
 * as the {@link org.r1wb.model.train.Trainer}. The teacher (typically the recipe's MoE) and the student (typically a
 * smaller dense model) may differ in every dimension but the vocabulary.
 *
 * <p>Resume is exact because nothing random carries state between steps: the windows of step s are where the seeded
 * window stream stands after s − 1 batches, and the dropout seed is a function of (seed, s); a checkpoint holds the
 * student's weights, its AdamW state and, in {@code meta.json}, the step and seed.
 *
 * <p>Held-out evaluation ({@code val_kl}, {@code val_ce}) runs on the same validation windows every time, once before
 * the first step of a fresh run (the untrained student's distance to the teacher) and then every {@code evalEvery}
 * steps and at the end.
 */
public final class DistillStage {

    /**
     * What the stage runs.
     *
     * @param runId           names the run in checkpoints and messages
     * @param student         the student's spec; its weights start from {@code seed}'s initialisation
     * @param seed            fixes the student's initial weights, window order and dropout
     * @param steps           optimizer steps
     * @param batchSize       windows per step (B)
     * @param seqLen          positions per window (T)
     * @param optimizer       AdamW and its warmup + cosine schedule
     * @param temperature     τ of the soft targets
     * @param alpha           weight of the student's own next-token cross-entropy (0: teacher only)
     * @param evalEvery       steps between held-out evaluations (also at the end)
     * @param evalBatches     validation batches per evaluation
     * @param checkpointEvery steps between periodic checkpoints
     * @param keep            periodic checkpoints kept (0: all)
     * @param teacher         checkpoint folder of the teacher, whose {@code meta.json} names its spec
     */
    public record Config(String runId, ModelSpec student, long seed, int steps, int batchSize, int seqLen,
                         OptimizerSpec optimizer, double temperature, double alpha, int evalEvery, int evalBatches,
                         int checkpointEvery, int keep, Path teacher) {
    }

    private static final String CHECKPOINTS = "checkpoints";

    private final Config config;
    private final DistillLoss loss;
    private final TrainingData train;
    private final TrainingData val;

    /** A stage on {@code train} windows, evaluated on {@code val} windows. */
    public DistillStage(Config config, TrainingData train, TrainingData val) {
        if (train.vocabSize() > config.student().vocabSize()) {
            throw new IllegalArgumentException("the data's vocabulary (" + train.vocabSize() + " ids) is larger than "
                    + "the student's vocabSize (" + config.student().vocabSize() + "): distil on data tokenized for "
                    + "the teacher's vocabulary");
        }
        this.config = config;
        this.loss = new DistillLoss(config.temperature(), config.alpha());
        this.train = train;
        this.val = val;
    }

    /**
     * Runs the stage in {@code runDir} from its latest checkpoint, if any (a finished stage is passed over), to the
     * end, to {@code cancelled} (checkpoint, then status {@code cancelled}) or to a failure. A teacher whose
     * vocabulary differs from the student's is refused before anything trains.
     */
    public TrainResult run(Path runDir, EventSink events, BooleanSupplier cancelled) throws IOException {
        Path checkpoints = runDir.resolve(CHECKPOINTS);
        StageRuns.Start start = StageRuns.start(checkpoints, config.student(), config.seed(), config.runId());
        if (start.done() >= config.steps()) {
            return start.alreadyFinished(config.steps(), events);
        }
        Path from = start.from();
        CheckpointMeta resumed = start.resumed();
        int done = start.done();
        CheckpointMeta teacherMeta = teacherMeta();
        GradMode.offOnThisThread();
        List<Double> losses = new ArrayList<>();
        Double valKl = resumed == null ? null : resumed.valLoss();
        Path last = from;
        try (NDManager root = NDManager.newBaseManager()) {
            MoeTransformer teacher = Checkpoints.loadModel(config.teacher(), teacherMeta, root);
            MoeTransformer student = MoeTransformer.create(config.student(), root, config.seed());
            if (from != null) {
                Checkpoints.restoreWeights(from, student, root);
            }
            ParameterStore store = new ParameterStore(root, false);
            LrSchedule schedule = LrSchedule.of(config.optimizer(), config.steps());
            BatchStream batches = train.batches(config.batchSize(), config.seqLen(), config.seed());
            batches.skip(done);
            try (AdamW optimizer = new AdamW(student, config.optimizer(), root)) {
                if (resumed != null) {
                    optimizer.load(from.resolve(Checkpoints.OPTIMIZER));
                    StageRuns.status(events, "running", "resuming " + config.runId() + " (distill) from step " + done
                            + " of " + config.steps());
                } else {
                    StageRuns.status(events, "running", "distilling " + config.teacher() + " into " + config.runId()
                            + "'s student for " + config.steps() + " steps (logit, temperature "
                            + config.temperature() + ")");
                    valKl = evaluate(teacher, student, store, root, 0, events);
                }
                for (int step = done + 1; step <= config.steps(); step++) {
                    if (cancelled.getAsBoolean()) {
                        if (step - 1 > done) {
                            last = checkpoint(events, checkpoints, Checkpoints.stepName(step - 1), student, optimizer,
                                    step - 1, losses, valKl);
                        }
                        String message = "cancelled after step " + (step - 1);
                        StageRuns.status(events, "cancelled", message);
                        return new TrainResult(TrainResult.Outcome.CANCELLED, message, losses.size(), first(losses),
                                lastOf(losses), Double.NaN, last, 0);
                    }
                    double value = step(teacher, student, store, root, optimizer, batches.next(), step,
                            schedule.at(step), events);
                    if (!Double.isFinite(value)) {
                        String message = "the distillation loss is not finite at step " + step;
                        events.emit("status", Map.of("state", "failed", "message", message, "step", step));
                        return new TrainResult(TrainResult.Outcome.FAILED, message, losses.size(), first(losses),
                                lastOf(losses), Double.NaN, last, 0);
                    }
                    losses.add(value);
                    if (step % config.evalEvery() == 0 || step == config.steps()) {
                        valKl = evaluate(teacher, student, store, root, step, events);
                    }
                    if (step % config.checkpointEvery() == 0 && step < config.steps()) {
                        last = checkpoint(events, checkpoints, Checkpoints.stepName(step), student, optimizer, step,
                                losses, valKl);
                        Checkpoints.prune(checkpoints, config.keep());
                    }
                }
                last = checkpoint(events, checkpoints, Checkpoints.FINAL, student, optimizer, config.steps(), losses,
                        valKl);
            }
        }
        String message = String.format("finished %d distillation steps: loss %.4f → %.4f, held-out KL %.4f",
                config.steps(), first(losses), lastOf(losses), valKl);
        StageRuns.status(events, "finished", message);
        return new TrainResult(TrainResult.Outcome.FINISHED, message, losses.size(), first(losses), lastOf(losses),
                valKl == null ? Double.NaN : valKl, last, 0);
    }

    /** The teacher checkpoint's metadata, after checking that it shares the student's vocabulary. */
    private CheckpointMeta teacherMeta() throws IOException {
        if (config.teacher() == null || !Files.isDirectory(config.teacher())) {
            throw new IllegalArgumentException("teacher: no checkpoint folder at " + config.teacher()
                    + ": distillation needs a trained teacher; run the stage before it first");
        }
        CheckpointMeta meta = Checkpoints.readMeta(config.teacher());
        int teacherVocab = meta.model().vocabSize();
        if (teacherVocab != config.student().vocabSize()) {
            throw new IllegalArgumentException("the teacher " + config.teacher() + " has a vocabulary of "
                    + teacherVocab + " ids and the student " + config.student().vocabSize() + ": logit distillation "
                    + "compares distributions id by id, so set the student's vocabSize to " + teacherVocab);
        }
        return meta;
    }

    /** One optimizer step on {@code batch}; its loss. */
    private double step(MoeTransformer teacher, MoeTransformer student, ParameterStore store, NDManager root,
                        AdamW optimizer, TrainBatch batch, int step, double lr, EventSink events) {
        long start = System.nanoTime();
        // dropout's masks are a function of (seed, step), so a resumed run draws the same
        Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + step));
        DistillLoss.Result result;
        try (NDManager manager = root.newSubManager()) {
            NDArray ids = ids(manager, batch.inputs(), batch);
            NDArray targets = ids(manager, batch.targets(), batch);
            NDArray soft = teacher.apply(store, ids, false).get(0);                             // (B, T, V)
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = student.apply(store, ids, true);
                result = loss.compute(soft, out.get(0), targets);
                if (!Double.isFinite(result.kl()) || !Double.isFinite(result.crossEntropy())) {
                    return Double.NaN;
                }
                NDArray objective = result.loss();
                if (student.spec().moe() != null && student.spec().moe().balancing() == Balancing.AUX_LOSS) {
                    objective = objective.add(Scalars.mul(out.get(1), student.spec().moe().auxLossWeight()));
                }
                collector.backward(objective);
            }
        }
        double gradNorm = optimizer.step(lr);
        double value = objective(result);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", step);
        metric.put("loss", value);
        metric.put("kl", result.kl());
        metric.put("ce", result.crossEntropy());
        metric.put("lr", lr);
        metric.put("grad_norm", gradNorm);
        metric.put("tokens_per_s", batch.batchSize() * batch.seqLen() / ((System.nanoTime() - start) / 1e9));
        events.emit("metric", metric);
        return value;
    }

    /** τ²·kl + α·ce as a number (the loss array's value, without reading it back once more). */
    private double objective(DistillLoss.Result result) {
        return config.temperature() * config.temperature() * result.kl() + config.alpha() * result.crossEntropy();
    }

    /** Mean KL to the teacher and cross-entropy on the validation windows; emits them, returns the KL. */
    private double evaluate(MoeTransformer teacher, MoeTransformer student, ParameterStore store, NDManager root,
                            int step, EventSink events) {
        BatchStream batches = val.batches(config.batchSize(), config.seqLen(), ~config.seed());
        double kl = 0;
        double crossEntropy = 0;
        for (int i = 0; i < config.evalBatches(); i++) {
            TrainBatch batch = batches.next();
            try (NDManager manager = root.newSubManager()) {
                NDArray ids = ids(manager, batch.inputs(), batch);
                DistillLoss.Result result = loss.compute(teacher.apply(store, ids, false).get(0),
                        student.apply(store, ids, false).get(0), ids(manager, batch.targets(), batch));
                kl += result.kl() / config.evalBatches();
                crossEntropy += result.crossEntropy() / config.evalBatches();
            }
        }
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", step);
        metric.put("val_kl", kl);
        metric.put("val_ce", crossEntropy);
        events.emit("metric", metric);
        return kl;
    }

    private Path checkpoint(EventSink events, Path checkpoints, String name, MoeTransformer student, AdamW optimizer,
                            int step, List<Double> losses, Double valKl) throws IOException {
        // meta's valLoss holds the held-out KL: the quantity this stage lowers
        return StageRuns.checkpoint(events, checkpoints, name, student, optimizer, new CheckpointMeta(
                Checkpoints.FORMAT_VERSION, config.runId(), step, config.student(), null, lastOf(losses), valKl,
                config.seed()));
    }

    private static NDArray ids(NDManager manager, int[] values, TrainBatch batch) {
        return manager.create(values, new Shape(batch.batchSize(), batch.seqLen())).toType(DataType.INT64, false);
    }

    private static double first(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    private static double lastOf(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }
}
