package org.r1wb.model.train;

import java.util.SplittableRandom;

/** Draws seeded random windows of {@code seqLen + 1} tokens; inputs are the first T, targets the last T. */
final class WindowSampler implements BatchStream {

    private final TokenSource source;
    private final int batchSize;
    private final int seqLen;
    private final SplittableRandom random;

    WindowSampler(TokenSource source, int batchSize, int seqLen, long seed) {
        if (source.length() < seqLen + 1L) {
            throw new IllegalArgumentException("the token stream has " + source.length()
                    + " tokens, fewer than one window of seqLen + 1 = " + (seqLen + 1));
        }
        this.source = source;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.random = new SplittableRandom(seed);
    }

    /** Moves past {@code batches} batches without reading them, drawing exactly what {@link #next} would. */
    @Override
    public void skip(int batches) {
        long starts = source.length() - seqLen;
        for (long i = 0; i < (long) batches * batchSize; i++) {
            random.nextLong(starts);
        }
    }

    @Override
    public TrainBatch next() {
        int[] inputs = new int[batchSize * seqLen];
        int[] targets = new int[batchSize * seqLen];
        int[] window = new int[seqLen + 1];
        long starts = source.length() - seqLen;
        for (int b = 0; b < batchSize; b++) {
            source.read(random.nextLong(starts), window);
            System.arraycopy(window, 0, inputs, b * seqLen, seqLen);
            System.arraycopy(window, 1, targets, b * seqLen, seqLen);
        }
        return new TrainBatch(inputs, targets, null, null, batchSize, seqLen);
    }
}
