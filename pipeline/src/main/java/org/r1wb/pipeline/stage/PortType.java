package org.r1wb.pipeline.stage;

import org.r1wb.pipeline.shards.ShardIndex;

/** What flows along an edge; an output connects only to an input of the same type. */
public enum PortType {
    /** Plain documents ({@link DocumentBatch}). */
    DOCUMENTS(DocumentBatch.class),
    /** Documents with the tokenizer trained on them ({@link TokenizedBatch}). */
    TOKENIZED_DOCUMENTS(TokenizedBatch.class),
    /** A written token-shard folder ({@link ShardIndex}). */
    TOKEN_SHARDS(ShardIndex.class);

    private final Class<?> payload;

    PortType(Class<?> payload) {
        this.payload = payload;
    }

    /** The Java type of values on a port of this type. */
    public Class<?> payload() {
        return payload;
    }
}
