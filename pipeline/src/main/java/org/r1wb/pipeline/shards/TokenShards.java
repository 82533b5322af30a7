package org.r1wb.pipeline.shards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.io.Json;

/** A token-shard folder opened for reading: its index, its memory-mapped splits and its tokenizer. */
public final class TokenShards {

    private final Path dir;
    private final ShardIndex index;
    private final Map<String, TokenSplit> splits = new LinkedHashMap<>();

    private TokenShards(Path dir, ShardIndex index) throws IOException {
        this.dir = dir;
        this.index = index;
        TokenDtype dtype = TokenDtype.ofLabel(index.dtype());
        for (Map.Entry<String, ShardIndex.Split> e : index.splits().entrySet()) {
            splits.put(e.getKey(), new TokenSplit(dir.resolve(e.getValue().file()), dtype, e.getValue().tokens()));
        }
    }

    /** Opens the folder written by {@link TokenShardWriter}; fails clearly if it is incomplete or of another format. */
    public static TokenShards open(Path dir) throws IOException {
        Path indexFile = dir.resolve(ShardIndex.FILE);
        if (!Files.isRegularFile(indexFile)) {
            throw new NoSuchFileException(indexFile.toString(), null, "no index.json: not a complete token-shard folder");
        }
        ShardIndex index = Json.mapper().readValue(indexFile.toFile(), ShardIndex.class);
        if (index.format() != ShardIndex.FORMAT) {
            throw new IOException(indexFile + ": format " + index.format() + " is not supported (expected "
                    + ShardIndex.FORMAT + ")");
        }
        if (index.splits() == null || index.splits().isEmpty()) {
            throw new IOException(indexFile + ": no token splits (the pipeline has no shards.write stage)");
        }
        return new TokenShards(dir, index);
    }

    /** The parsed {@code index.json}. */
    public ShardIndex index() {
        return index;
    }

    /** The tokenizer's vocabulary size. */
    public int vocabSize() {
        return index.vocabSize();
    }

    /** The id that ends every document. */
    public int eotId() {
        return index.eotId();
    }

    /** The digest of the pipeline run that wrote the folder. */
    public String digest() {
        return index.digest();
    }

    /** Loads the folder's tokenizer. */
    public BpeTokenizer tokenizer() throws IOException {
        return BpeTokenizer.load(dir.resolve(index.tokenizer()));
    }

    /** Split names, e.g. {@code train}, {@code val}. */
    public Set<String> splitNames() {
        return splits.keySet();
    }

    /** A split by name. */
    public TokenSplit split(String name) {
        TokenSplit split = splits.get(name);
        if (split == null) {
            throw new IllegalArgumentException("no split '" + name + "'; this folder has " + splits.keySet());
        }
        return split;
    }
}
