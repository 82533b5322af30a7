package org.r1wb.model.train;

/**
 * A flat stream of token ids the trainer samples windows from. The agent adapts the pipeline's shard reader to
 * it, so this module does not depend on the shard format.
 */
public interface TokenSource {

    /** Number of tokens in the stream. */
    long length();

    /** Fills {@code dst} with the tokens at {@code offset, offset + dst.length)}. */
    void read(long offset, int[] dst);

    /** Size of the vocabulary the ids were drawn from (every id is below it). */
    int vocabSize();
}
