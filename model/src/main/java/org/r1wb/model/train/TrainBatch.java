package org.r1wb.model.train;

import org.r1wb.model.nn.Segments;

/**
 * One training batch, row-major (B, T).
 *
 * @param inputs    token ids fed to the model
 * @param targets   the id each position should predict
 * @param lossMask  1 where a target counts in the loss, 0 where it does not (an SFT prompt, padding);
 *                  {@code null} when every target counts
 * @param segments  the examples packed into each row, or {@code null} when each row is one causal sequence
 * @param batchSize rows (B)
 * @param seqLen    positions per row (T)
 */
public record TrainBatch(int[] inputs, int[] targets, float[] lossMask, Segments segments, int batchSize, int seqLen) {

    /** Checks the array sizes. */
    public TrainBatch {
        int size = batchSize * seqLen;
        if (inputs.length != size || targets.length != size || lossMask != null && lossMask.length != size) {
            throw new IllegalArgumentException("inputs, targets and loss mask must hold B·T = " + size + " values");
        }
    }

    /** Targets that count in the loss. */
    public int countedTargets() {
        if (lossMask == null) {
            return inputs.length;
        }
        int n = 0;
        for (float m : lossMask) {
            n += m > 0 ? 1 : 0;
        }
        return n;
    }
}
