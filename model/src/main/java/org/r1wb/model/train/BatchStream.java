package org.r1wb.model.train;

/** The batches of one run, in order; the same seed gives the same stream, so a resumed run can skip ahead. */
public interface BatchStream {

    /** The next batch. */
    TrainBatch next();

    /** Moves past {@code batches} batches, leaving the stream where {@link #next} would have left it. */
    default void skip(int batches) {
        for (int i = 0; i < batches; i++) {
            next();
        }
    }
}
