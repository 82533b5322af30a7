package org.r1wb.model.train;

import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.spec.ModelSpec;

/**
 * One training run, the file {@code runs/<id>/run.json}. Check with {@link RunSpecValidator}.
 *
 * @param id              run id, also the event journal's run name
 * @param model           the model spec, inline so the run stays reproducible if the model file changes
 * @param data            the training data
 * @param stage           recipe stage: {@code pretrain} (default) on a token stream, or {@code sft} on packed
 *                        prompt/response examples with the loss on the responses only
 * @param optimizer       optimizer and schedule
 * @param steps           optimizer steps
 * @param batchSize       windows per micro-batch (B); an optimizer step sees {@code gradAccumulation · batchSize}
 * @param seqLen          tokens per window (T), at most {@code model.maxSeqLen}
 * @param seed            fixes the weights, the sampled windows and dropout
 * @param evalEvery       steps between validation passes (and routing events); 0 evaluates only at the end
 * @param evalBatches     batches per validation pass
 * @param checkpointEvery steps between checkpoints; 0 writes only the final one
 * @param keepCheckpoints how many periodic checkpoints to keep (the final one is always kept); 0 keeps all
 * @param device          where to train; {@code cpu} (default)
 * @param init            the checkpoint folder whose weights the run starts from, relative to the run folder or
 *                        absolute; {@code null} starts from {@link #seed}'s initialisation. Required for {@code sft}.
 *                        Ignored on resume once the run has a checkpoint of its own, unless the run trains
 *                        {@code lora} adapters: they resume on this base.
 * @param gradAccumulation micro-batches per optimizer step (default 1): their gradients are summed, each weighted by
 *                        its share of the step's counted targets, so k micro-batches of B windows give the gradient
 *                        of one batch of k·B with the activation memory of B. {@code steps}, the schedule, checkpoints
 *                        and resume count optimizer steps. {@code null} (absent in JSON) means 1.
 * @param precision       {@code fp32} (default) or {@code bf16}: bf16 autocast of the matrix products (see
 *                        {@link org.r1wb.model.nn.Autocast}) with fp32 weights, gradients and optimizer state, about
 *                        1.5× faster on CPUs with AVX512-BF16 or AMX, at bf16's 3 significant digits in the products
 * @param lora            train low-rank adapters on these projections instead of every weight ({@link TrainedWeights});
 *                        {@code null} (absent in JSON) trains every weight
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
        String device,
        String init,
        Integer gradAccumulation,
        String precision,
        LoraSpec lora) {

    /** The pretraining stage. */
    public static final String PRETRAIN = "pretrain";
    /** Supervised fine-tuning on prompt/response pairs. */
    public static final String SFT = "sft";
    /** The CPU device. */
    public static final String CPU = "cpu";
    /** Every product in fp32. */
    public static final String FP32 = "fp32";
    /** bf16 autocast of the matrix products, fp32 master weights. */
    public static final String BF16 = "bf16";

    /** Fills the defaults of absent optional fields. */
    public RunSpec {
        stage = stage == null ? PRETRAIN : stage;
        device = device == null ? CPU : device;
        gradAccumulation = gradAccumulation == null ? 1 : gradAccumulation;
        precision = precision == null ? FP32 : precision;
    }

    /** A run that trains every weight ({@code lora} absent). */
    public RunSpec(String id, ModelSpec model, DataRef data, String stage, OptimizerSpec optimizer, int steps,
                   int batchSize, int seqLen, long seed, int evalEvery, int evalBatches, int checkpointEvery,
                   int keepCheckpoints, String device, String init, Integer gradAccumulation, String precision) {
        this(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, gradAccumulation, precision, null);
    }

    /** A run in fp32 with one micro-batch per optimizer step ({@code gradAccumulation}, {@code precision} absent). */
    public RunSpec(String id, ModelSpec model, DataRef data, String stage, OptimizerSpec optimizer, int steps,
                   int batchSize, int seqLen, long seed, int evalEvery, int evalBatches, int checkpointEvery,
                   int keepCheckpoints, String device, String init) {
        this(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, 1, null);
    }

    /** A run that starts from {@code seed}'s initialisation ({@code init} absent). */
    public RunSpec(String id, ModelSpec model, DataRef data, String stage, OptimizerSpec optimizer, int steps,
                   int batchSize, int seqLen, long seed, int evalEvery, int evalBatches, int checkpointEvery,
                   int keepCheckpoints, String device) {
        this(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, null, 1, null);
    }

    /** This run under the id {@code id}. */
    public RunSpec withId(String id) {
        return new RunSpec(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, gradAccumulation, precision, lora);
    }

    /** This run reading {@code data}. */
    public RunSpec withData(DataRef data) {
        return new RunSpec(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, gradAccumulation, precision, lora);
    }

    /** This run starting from the checkpoint folder {@code init}. */
    public RunSpec withInit(String init) {
        return new RunSpec(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, gradAccumulation, precision, lora);
    }

    /** This run with {@code microBatches} micro-batches per optimizer step. */
    public RunSpec withGradAccumulation(int microBatches) {
        return new RunSpec(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, microBatches, precision, lora);
    }

    /** This run at {@code precision}. */
    public RunSpec withPrecision(String precision) {
        return new RunSpec(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, gradAccumulation, precision, lora);
    }

    /** This run training adapters {@code lora} only ({@code null}: every weight). */
    public RunSpec withLora(LoraSpec lora) {
        return new RunSpec(id, model, data, stage, optimizer, steps, batchSize, seqLen, seed, evalEvery, evalBatches,
                checkpointEvery, keepCheckpoints, device, init, gradAccumulation, precision, lora);
    }

    /** Whether the matrix products run under bf16 autocast. */
    public boolean bf16() {
        return BF16.equals(precision);
    }
}
