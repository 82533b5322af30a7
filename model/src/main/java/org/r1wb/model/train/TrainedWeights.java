package org.r1wb.model.train;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.adapt.LoraAdapters;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.nn.MoeTransformer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a run's AdamW trains: every weight of its model or, with a {@link LoraSpec}, only {@link LoraAdapters} on it,
 * the model then holding the merged weights W₀ + (α/r)·B·A. The trainer (pretrain, sft) and the grpo and dpo stages
 * share it, so adapters are kept, checkpointed and resumed one way.
 *
 * <p>With adapters, a checkpoint {@code <run>/checkpoints/<name>} holds the merged weights (a plain model for the
 * stages after) and the adapters' AdamW state, and {@code <run>/adapters/<name>} the adapters, written before it so
 * that every checkpoint has its adapters. A resume rebuilds the weights from the base (the run's starting checkpoint)
 * and those adapters, so the base never drifts. The routers' selection bias is part of the frozen base: a caller that
 * moves it (aux-free balancing) leaves it still when {@link #adapted()}.
 */
public final class TrainedWeights implements AutoCloseable {

    /** The folder of each checkpoint's adapters, beside the {@code checkpoints} folder, under the same names. */
    public static final String ADAPTERS = "adapters";

    private final LoraAdapters adapters;
    private final AdamW optimizer;

    private TrainedWeights(LoraAdapters adapters, AdamW optimizer) {
        this.adapters = adapters;
        this.optimizer = optimizer;
    }

    /**
     * Trains {@code model} as its weights are now: every weight, or with {@code lora} (may be {@code null}) adapters
     * whose A is drawn from {@code seed}; the optimizer's state lives in {@code manager}.
     */
    public static TrainedWeights of(MoeTransformer model, LoraSpec lora, OptimizerSpec spec, NDManager manager,
                                    long seed) {
        LoraAdapters adapters = lora == null ? null : LoraAdapters.attach(model, lora, manager, seed);
        return new TrainedWeights(adapters, new AdamW(adapters == null ? model : adapters, spec, manager));
    }

    /**
     * Trains {@code model} from where its run stands: from {@code base} (its starting checkpoint; {@code null} keeps
     * the seed's initialisation), or resumed from the run's checkpoint {@code from} (weights or adapters, and the
     * optimizer state); {@code lora}, when not {@code null}, must be what wrote {@code from}.
     */
    public static TrainedWeights start(MoeTransformer model, Path base, Path from, LoraSpec lora, OptimizerSpec spec,
                                       NDManager manager, long seed) throws IOException {
        if (from != null && Files.isDirectory(adapterFolder(from)) != (lora != null)) {
            throw new IllegalArgumentException(from + (lora == null ? " was written by a run with lora adapters"
                    : " has no lora adapters at " + adapterFolder(from)) + ": resume with the settings that wrote it, "
                    + "or run in a new folder");
        }
        Path weights = from != null && lora == null ? from : base;
        if (weights != null) {
            Checkpoints.restoreWeights(weights, model, manager);
        }
        TrainedWeights trained = of(model, lora, spec, manager, seed);
        if (from != null) {
            try {
                if (trained.adapters != null) {
                    trained.adapters.load(adapterFolder(from));
                }
                trained.optimizer.load(from.resolve(Checkpoints.OPTIMIZER));
            } catch (IOException | RuntimeException e) {
                trained.close();
                throw e;
            }
        }
        return trained;
    }

    /** The adapters' folder of checkpoint folder {@code checkpoint}. */
    public static Path adapterFolder(Path checkpoint) {
        return checkpoint.getParent().resolveSibling(ADAPTERS).resolve(checkpoint.getFileName().toString());
    }

    /** Whether only adapters train. */
    public boolean adapted() {
        return adapters != null;
    }

    /** The adapters, or {@code null} when every weight trains. */
    public LoraAdapters adapters() {
        return adapters;
    }

    /** The optimizer, for checkpoints. */
    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * After the backward passes: one AdamW update at {@code lr} of what trains (with adapters: their gradients from
     * the model's, the model's own dropped, then the merged weights rewritten); the global gradient norm.
     */
    public double step(double lr) {
        if (adapters != null) {
            adapters.backward();
        }
        double norm = optimizer.step(lr);
        if (adapters != null) {
            adapters.merge();
        }
        return norm;
    }

    /** Writes the adapters of the checkpoint {@code name} in {@code checkpoints}, if any; call before the checkpoint. */
    public void saveAdapters(Path checkpoints, String name) throws IOException {
        if (adapters != null) {
            adapters.save(adapterFolder(checkpoints.resolve(name)));
        }
    }

    /** Keeps the adapters of the {@code keep} latest periodic checkpoints in {@code checkpoints}, as they are. */
    public static void pruneAdapters(Path checkpoints, int keep) throws IOException {
        Checkpoints.prune(checkpoints.resolveSibling(ADAPTERS), keep);
    }

    @Override
    public void close() {
        optimizer.close();
        if (adapters != null) {
            adapters.close();
        }
    }
}
