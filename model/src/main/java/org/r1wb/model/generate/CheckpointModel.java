package org.r1wb.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.r1wb.model.eval.EvalModel;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.ProbeCapture;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A checkpoint folder opened for evaluation and decoding (through a {@link Generator}, with a KV cache).
 * Not thread-safe; owns native memory until {@link #close}.
 */
public final class CheckpointModel implements EvalModel {

    /** Windows scored together in one forward pass by {@link #nll}. */
    private static final int NLL_BATCH = 16;

    private final NDManager manager;
    private final MoeTransformer model;
    private final ParameterStore store;
    private final CheckpointMeta meta;
    private final String digest;
    private final Generator generator;

    private CheckpointModel(NDManager manager, MoeTransformer model, CheckpointMeta meta, String digest) {
        this.manager = manager;
        this.model = model;
        this.store = new ParameterStore(manager, false);
        this.meta = meta;
        this.digest = digest;
        this.generator = new Generator(model, manager);
    }

    /** Opens a checkpoint folder; fails if its weights do not match the digest recorded in {@code meta.json}. */
    public static CheckpointModel open(Path checkpointDir) throws IOException {
        CheckpointMeta meta = Checkpoints.readMeta(checkpointDir);
        String digest = Checkpoints.sha256(checkpointDir.resolve(Checkpoints.WEIGHTS));
        if (meta.weightsDigest() != null && !meta.weightsDigest().equals(digest)) {
            throw new IOException(checkpointDir.resolve(Checkpoints.WEIGHTS) + " does not match the digest in "
                    + Checkpoints.META + " (file damaged or replaced)");
        }
        GradMode.offOnThisThread();
        NDManager manager = NDManager.newBaseManager();
        try {
            return new CheckpointModel(manager, Checkpoints.loadModel(checkpointDir, meta, manager), meta, digest);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The checkpoint's metadata (step, spec, losses). */
    public CheckpointMeta meta() {
        return meta;
    }

    @Override
    public String checkpointDigest() {
        return digest;
    }

    @Override
    public int maxSequenceLength() {
        return meta.model().maxSeqLen();
    }

    @Override
    public double[] nll(int[][] windows) {
        for (int i = 0; i < windows.length; i++) {
            checkWindow(windows[i], i);
        }
        GradMode.offOnThisThread();
        double[] result = new double[windows.length];
        for (int from = 0; from < windows.length; from += NLL_BATCH) {
            int to = Math.min(windows.length, from + NLL_BATCH);
            double[] sums = nllBatch(Arrays.copyOfRange(windows, from, to));
            System.arraycopy(sums, 0, result, from, sums.length);
        }
        return result;
    }

    /** Right-pads the windows to one length; causal attention keeps padding from touching earlier positions. */
    private double[] nllBatch(int[][] windows) {
        int b = windows.length;
        int t = 0;
        for (int[] window : windows) {
            t = Math.max(t, window.length - 1);
        }
        int[] inputs = new int[b * t];
        int[] targets = new int[b * t];
        float[] mask = new float[b * t];
        for (int row = 0; row < b; row++) {
            int[] window = windows[row];
            for (int pos = 0; pos < window.length - 1; pos++) {
                inputs[row * t + pos] = window[pos];
                targets[row * t + pos] = window[pos + 1];
                mask[row * t + pos] = 1f;
            }
        }
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            Shape shape = new Shape(b, t);
            NDArray logits = model.apply(store, step.create(inputs, shape).toType(DataType.INT64, false), false).get(0);
            NDArray perToken = NextTokenLoss.perToken(logits, step.create(targets, shape));        // (B, T)
            float[] sums = perToken.mul(step.create(mask, shape)).sum(new int[] {1}).toFloatArray(); // (B)
            double[] out = new double[b];
            for (int i = 0; i < b; i++) {
                out[i] = sums[i];
            }
            return out;
        }
    }

    /**
     * Runs {@code ids} (one sequence, at most the context length) through the model and returns every layer's
     * attention weights and routing decisions.
     */
    public ProbeCapture probe(int[] ids) {
        if (ids.length == 0 || ids.length > maxSequenceLength()) {
            throw new IllegalArgumentException("the probe has " + ids.length + " tokens; it must have between 1 and "
                    + maxSequenceLength() + " (the model's context length)");
        }
        checkIds(ids, "the probe");
        GradMode.offOnThisThread();
        ProbeCapture capture = new ProbeCapture(meta.model().layers());
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray tokens = step.create(ids, new Shape(1, ids.length)).toType(DataType.INT64, false);
            model.apply(store, tokens, capture);
        }
        return capture;
    }

    @Override
    public int[] greedy(int[] prompt, int maxNewTokens, int... stopIds) {
        return generate(prompt, GenerationConfig.greedy(maxNewTokens, stopIds), null).tokens();
    }

    @Override
    public int[] sample(int[] prompt, int maxNewTokens, double temperature, double topP, long seed, int... stopIds) {
        return generate(prompt, new GenerationConfig(maxNewTokens, temperature, topP, seed, stopIds, null), null).tokens();
    }

    /** Continues {@code prompt} as {@code config} says; {@code decoder} (may be {@code null}) is needed for stop strings. */
    public Generation generate(int[] prompt, GenerationConfig config, Function<int[], String> decoder) {
        checkIds(prompt, "prompt");
        return generator.generate(prompt, config, decoder);
    }

    private void checkWindow(int[] window, int index) {
        if (window.length < 2 || window.length > maxSequenceLength()) {
            throw new IllegalArgumentException("window " + index + " has " + window.length
                    + " tokens; it must have between 2 and " + maxSequenceLength());
        }
        checkIds(window, "window " + index);
    }

    private void checkIds(int[] ids, String what) {
        int vocab = meta.model().vocabSize();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException(what + " has id " + ids[i] + " at " + i
                        + ", outside the model's vocabulary [0, " + vocab + ")");
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
