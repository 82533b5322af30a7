package org.r1wb.model.train;

import org.r1wb.model.spec.ModelSpec;

/**
 * One training run, the file {@code runs/<id>/run.json}. Check with {@link RunSpecValidator}.
 *
 * @param id              run id, also the event journal's run name
 * @param model           the model spec, inline so the run stays reproducible if the model file changes
 * @param data            the training data
 * @param stage           recipe stage; only {@code pretrain} for now (default)
 * @param optimizer       optimizer and schedule
 * @param steps           optimizer steps
 * @param batchSize       windows per step (B)
 * @param seqLen          tokens per window (T), at most {@code model.maxSeqLen}
 * @param seed            fixes the weights, the sampled windows and dropout
 * @param evalEvery       steps between validation passes (and routing events); 0 evaluates only at the end
 * @param evalBatches     batches per validation pass
 * @param checkpointEvery steps between checkpoints; 0 writes only the final one
 * @param keepCheckpoints how many periodic checkpoints to keep (the final one is always kept); 0 keeps all
 * @param device          where to train; {@code cpu} (default)
 */
public record RunSpec(
        String id,
        ModelSpec model,
        DataRef data,
        String stage,
        OptimizerSpec optimizer,
        int steps,
        int batchSize,
        int seqLen,
        long seed,
        int evalEvery,
        int evalBatches,
        int checkpointEvery,
        int keepCheckpoints,
        String device) {

    /** The pretraining stage. */
    public static final String PRETRAIN = "pretrain";
    /** The CPU device. */
    public static final String CPU = "cpu";

    /** Fills the defaults of absent optional fields. */
    public RunSpec {
        stage = stage == null ? PRETRAIN : stage;
        device = device == null ? CPU : device;
    }
}
