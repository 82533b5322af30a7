package org.r1wb.model.train;

/** What a run trains or validates on: a seeded, endless stream of batches of a given shape. */
public interface TrainingData {

    /** Size of the vocabulary the ids were drawn from (every id is below it). */
    int vocabSize();

    /**
     * The batches of {@code batchSize} rows of {@code seqLen} positions drawn with {@code seed}; fails with a clear
     * message when the data cannot fill one batch.
     */
    BatchStream batches(int batchSize, int seqLen, long seed);

    /** Pretraining data: seeded random windows of a token stream, every target counted. */
    static TrainingData windows(TokenSource source) {
        return new TrainingData() {
            @Override
            public int vocabSize() {
                return source.vocabSize();
            }

            @Override
            public BatchStream batches(int batchSize, int seqLen, long seed) {
                return new WindowSampler(source, batchSize, seqLen, seed);
            }
        };
    }
}
