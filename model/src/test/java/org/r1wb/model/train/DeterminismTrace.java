package org.r1wb.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A diagnostic for run-to-run determinism: trains {@link ResumeTest}'s run the way {@link Trainer} does (without
 * validation, checkpoints or events) and lists, for every step, a digest of the logits, the loss, each gradient and
 * each parameter after the update. Two traces of one seed must be equal; the first line where they differ names the
 * first tensor that diverged. {@code DeterminismTrace STEPS [gc]} prints one (run it in two JVMs and diff); with
 * {@code gc} a full garbage collection runs between each forward and backward pass, which is how issue #4's
 * read-after-free showed up at once.
 */
public final class DeterminismTrace {

    private DeterminismTrace() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        int steps = Integer.parseInt(args[0]);
        boolean gc = args.length > 1 && args[1].equals("gc");
        trace(ResumeTest.run(steps), steps, gc).forEach(System.out::println);
    }

    /** The trace of the first {@code steps} steps of {@code spec} on {@link ResumeTest#TRAIN}. */
    static List<String> trace(RunSpec spec, int steps, boolean collectGarbageMidStep) {
        GradMode.offOnThisThread();
        List<String> lines = new ArrayList<>();
        LrSchedule schedule = LrSchedule.of(spec.optimizer(), spec.steps());
        try (NDManager root = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(spec.model(), root, spec.seed());
            ParameterStore store = new ParameterStore(root, false);
            BatchStream sampler = TrainingData.windows(ResumeTest.TRAIN).batches(spec.batchSize(), spec.seqLen(),
                    spec.seed());
            try (AdamW optimizer = new AdamW(model, spec.optimizer(), root)) {
                for (int step = 1; step <= steps; step++) {
                    Engine.getInstance().setRandomSeed((int) (spec.seed() * 31 + step));
                    TrainBatch batch = sampler.next();
                    try (NDScope scope = new NDScope(); NDManager manager = store.getManager().newSubManager()) {
                        scope.suppressNotUsedWarning();
                        Shape shape = new Shape(batch.batchSize(), batch.seqLen());
                        NDArray ids = manager.create(batch.inputs(), shape).toType(DataType.INT64, false);
                        NDArray targets = manager.create(batch.targets(), shape).toType(DataType.INT64, false);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDList out = model.apply(store, ids, true);
                            NDArray loss = NextTokenLoss.mean(out.get(0), targets);
                            lines.add(step + " logits " + digest(out.get(0)));
                            lines.add(step + " loss " + Float.toHexString(loss.getFloat()));
                            if (collectGarbageMidStep) {
                                collectGarbage();
                            }
                            collector.backward(loss);
                        }
                        for (Pair<String, Parameter> entry : model.getParameters()) {
                            NDArray weight = entry.getValue().getArray();
                            if (weight.hasGradient()) {
                                lines.add(step + " grad " + entry.getKey() + " " + digest(weight.getGradient()));
                            }
                        }
                    }
                    lines.add(step + " grad_norm " + Double.toHexString(optimizer.step(schedule.at(step))));
                    for (MoeTransformer.IndexedMoe layer : model.moeLayers()) {
                        layer.moe().router().updateBias(layer.moe().lastStats().tokensPerExpert(),
                                spec.model().moe().biasUpdateRate());
                    }
                    for (Pair<String, Parameter> entry : model.getParameters()) {
                        lines.add(step + " param " + entry.getKey() + " " + digest(entry.getValue().getArray()));
                    }
                }
            }
        }
        return lines;
    }

    /** A full collection, and time for the reference handler to free the direct buffers it found unreachable. */
    static void collectGarbage() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String digest(NDArray array) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(array.toByteArray());
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
