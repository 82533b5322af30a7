package org.r1wb.agent;

import org.r1wb.model.eval.TextCodec;
import org.r1wb.pipeline.bpe.BpeTokenizer;

/** The pipeline's byte-level BPE tokenizer, as evaluation encodes and decodes text. */
final class BpeTextCodec implements TextCodec {

    private final BpeTokenizer tokenizer;
    private final int endOfText;
    private final String digest;

    BpeTextCodec(BpeTokenizer tokenizer, int endOfText, String digest) {
        this.tokenizer = tokenizer;
        this.endOfText = endOfText;
        this.digest = digest;
    }

    @Override
    public int[] encode(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    @Override
    public int endOfTextId() {
        return endOfText;
    }

    @Override
    public String digest() {
        return digest;
    }
}
