package org.r1wb.model.eval;

import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.shards.TokenShards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pipeline's byte-level BPE tokenizer, as evaluation encodes and decodes text. */
public final class BpeTextCodec implements TextCodec {

    private final BpeTokenizer tokenizer;
    private final int endOfText;
    private final String digest;

    /** {@code tokenizer} with its end-of-text id and the digest of its file. */
    public BpeTextCodec(BpeTokenizer tokenizer, int endOfText, String digest) {
        this.tokenizer = tokenizer;
        this.endOfText = endOfText;
        this.digest = digest;
    }

    /** The tokenizer of the token shards in {@code shardsDir}: what a model trained on them reads and writes. */
    public static BpeTextCodec ofShards(Path shardsDir) throws IOException {
        TokenShards shards = TokenShards.open(shardsDir);
        return new BpeTextCodec(shards.tokenizer(), shards.eotId(),
                Digests.sha256(Files.readString(shardsDir.resolve(shards.index().tokenizer()))));
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
