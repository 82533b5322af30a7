package org.r1wb.model.recipe.sft;

import org.r1wb.model.nn.Segments;
import org.r1wb.model.train.TrainBatch;

import java.util.Arrays;
import java.util.List;

/**
 * Packs tokenized examples into a (B, T) batch, several to a row, so short examples don't waste a row of padding.
 * An example of n tokens takes n − 1 positions (inputs are its first n − 1 tokens, targets its last n − 1), never
 * crosses a row, and gets its own segment: with {@link Segments} the model keeps each one apart. The rest of a row
 * is padding, a segment of its own whose targets are masked. An example longer than T + 1 tokens is cut to its
 * first T + 1.
 */
public final class SequencePacker {

    private static final int PAD_SEGMENT = -1;

    private final int batchSize;
    private final int seqLen;
    private int[] inputs;
    private int[] targets;
    private float[] mask;
    private int[] segments;
    private int row;
    private int used;
    private int segment;

    /** A packer of batches of {@code batchSize} rows of {@code seqLen} positions. */
    public SequencePacker(int batchSize, int seqLen) {
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        reset();
    }

    /** One batch holding exactly {@code sequences}; fails when they do not fit in it. */
    public static TrainBatch pack(List<SftSequence> sequences, int batchSize, int seqLen) {
        SequencePacker packer = new SequencePacker(batchSize, seqLen);
        for (SftSequence sequence : sequences) {
            if (!packer.add(sequence)) {
                throw new IllegalArgumentException(sequences.size() + " examples do not fit in " + batchSize
                        + " rows of " + seqLen + " positions");
            }
        }
        return packer.finish();
    }

    /**
     * Places {@code sequence} in the current row, or at the start of the next one when it does not fit; returns
     * {@code false}, placing nothing, when the batch has no room left.
     */
    public boolean add(SftSequence sequence) {
        int positions = Math.min(sequence.length() - 1, seqLen);
        if (used + positions > seqLen) {
            if (row + 1 == batchSize) {
                return false;
            }
            row++;
            used = 0;
            segment = 0;
        }
        int at = row * seqLen + used;
        System.arraycopy(sequence.tokens(), 0, inputs, at, positions);
        System.arraycopy(sequence.tokens(), 1, targets, at, positions);
        for (int i = 0; i < positions; i++) {
            mask[at + i] = sequence.response()[i + 1] ? 1f : 0f;
        }
        Arrays.fill(segments, at, at + positions, segment++);
        used += positions;
        return true;
    }

    /** The batch packed so far, padded; the packer starts a new, empty batch. */
    public TrainBatch finish() {
        TrainBatch batch = new TrainBatch(inputs, targets, mask, Segments.of(segments, batchSize, seqLen),
                batchSize, seqLen);
        reset();
        return batch;
    }

    private void reset() {
        inputs = new int[batchSize * seqLen];
        targets = new int[batchSize * seqLen];
        mask = new float[batchSize * seqLen];
        segments = new int[batchSize * seqLen];
        Arrays.fill(segments, PAD_SEGMENT);
        row = 0;
        used = 0;
        segment = 0;
    }
}
