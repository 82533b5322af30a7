package org.r1wb.model.recipe.sft;

import org.r1wb.model.train.BatchStream;
import org.r1wb.model.train.TrainBatch;
import org.r1wb.model.train.TrainingData;

import java.util.List;
import java.util.SplittableRandom;

/**
 * SFT training data: tokenized examples, reshuffled every epoch from the run's seed and packed by
 * {@link SequencePacker} in that order. The stream is endless and a function of the seed alone, so a resumed run
 * skips to exactly where the interrupted one stood.
 */
public final class SftData implements TrainingData {

    private final List<SftSequence> sequences;
    private final int vocabSize;

    /** Data over {@code sequences}, whose ids are all below {@code vocabSize}. */
    public SftData(List<SftSequence> sequences, int vocabSize) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no SFT examples: the data file holds no good line");
        }
        this.sequences = List.copyOf(sequences);
        this.vocabSize = vocabSize;
    }

    /** Data over {@code examples}, rendered through {@code template} and tokenized. */
    public static SftData of(List<SftExample> examples, ChatTemplate template, int vocabSize) {
        return new SftData(examples.stream().map(template::encode).toList(), vocabSize);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** The examples, as tokenized. */
    public List<SftSequence> sequences() {
        return sequences;
    }

    @Override
    public BatchStream batches(int batchSize, int seqLen, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SequencePacker packer = new SequencePacker(batchSize, seqLen);
        return new BatchStream() {
            private int[] order = new int[0];
            private int next;
            private SftSequence pending;

            @Override
            public TrainBatch next() {
                while (true) {
                    SftSequence sequence = pending != null ? pending : draw();
                    pending = null;
                    if (!packer.add(sequence)) {
                        pending = sequence;
                        return packer.finish();
                    }
                }
            }

            private SftSequence draw() {
                if (next == order.length) {
                    order = shuffled(sequences.size(), random);
                    next = 0;
                }
                return sequences.get(order[next++]);
            }
        };
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
