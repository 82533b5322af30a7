package org.r1wb.agent;

import org.r1wb.model.train.TokenSource;
import org.r1wb.pipeline.shards.TokenSplit;

/** One split of the pipeline's memory-mapped token shards, as the trainer reads tokens. */
final class ShardTokenSource implements TokenSource {

    private final TokenSplit split;
    private final int vocabSize;

    ShardTokenSource(TokenSplit split, int vocabSize) {
        this.split = split;
        this.vocabSize = vocabSize;
    }

    @Override
    public long length() {
        return split.length();
    }

    @Override
    public void read(long offset, int[] dst) {
        split.read(offset, dst);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }
}
