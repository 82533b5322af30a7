package org.r1wb.model.eval;

/** The tokenizer as evaluation sees it; the agent adapts the pipeline's BPE tokenizer to it. */
public interface TextCodec {

    int[] encode(String text);

    String decode(int[] ids);

    /** The end-of-text id, where generation stops. */
    int endOfTextId();

    /** Content digest of the tokenizer file: answers change with it, so it is part of every cache key. */
    String digest();
}
