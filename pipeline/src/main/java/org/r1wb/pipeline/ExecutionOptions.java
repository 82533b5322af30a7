package org.r1wb.pipeline;

/**
 * How a {@link PipelineRunner} executes: whether chains of per-document stages stream, and with how much
 * parallelism and memory. The output is the same either way.
 *
 * @param streaming   stream chains of readers and per-document stages through bounded queues (false: every node
 *                    runs over its whole input held in memory, one node after the other)
 * @param workers     threads for the per-document work of streamed stages (all cores by default)
 * @param maxInFlight documents a streamed chain holds at most between its reader and its last stage (back-pressure
 *                    on the reader); bounds the chain's memory
 * @param batchSize   documents handed between stages at once; smaller means less latency, more hand-over cost (the
 *                    queues between stages hold {@code maxInFlight / batchSize} batches)
 */
public record ExecutionOptions(boolean streaming, int workers, int maxInFlight, int batchSize) {

    /** Documents in flight by default: a few megabytes of typical text, enough to keep every core busy. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 16_384;
    /** Documents per hand-over by default. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    public ExecutionOptions {
        if (workers < 1 || maxInFlight < 1 || batchSize < 1) {
            throw new IllegalArgumentException("workers, maxInFlight and batchSize must be at least 1, were "
                    + workers + ", " + maxInFlight + ", " + batchSize);
        }
    }

    /** Streaming on every core with the default bounds. */
    public static ExecutionOptions defaults() {
        return new ExecutionOptions(true, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_BATCH_SIZE);
    }

    /** Every node over its whole input, one after the other (the reference the streaming path must match). */
    public static ExecutionOptions wholeInputs() {
        return new ExecutionOptions(false, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_BATCH_SIZE);
    }
}
