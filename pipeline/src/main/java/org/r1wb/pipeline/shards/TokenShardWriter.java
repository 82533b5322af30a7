package org.r1wb.pipeline.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;

/**
 * Writes a token-shard folder: {@code train.bin} and {@code val.bin} (each document's tokens followed by the
 * end-of-text id), {@code tokenizer.json} and, last, {@code index.json}. Shard files grow under temp names and are
 * renamed by {@link #finish}; closing an unfinished writer deletes them.
 */
public final class TokenShardWriter implements Closeable {

    /** Split names. */
    public static final String TRAIN = "train";
    public static final String VAL = "val";

    /** The tokenizer file name inside a shard folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final Path dir;
    private final BpeTokenizer tokenizer;
    private final int eotId;
    private final DocumentSplitter splitter;
    private final TokenDtype dtype;
    private final SplitFile train;
    private final SplitFile val;
    private boolean finished;

    /** A writer with the smallest dtype that fits the tokenizer's vocabulary. */
    public TokenShardWriter(Path dir, BpeTokenizer tokenizer, String eotToken, DocumentSplitter splitter)
            throws IOException {
        this(dir, tokenizer, eotToken, splitter, TokenDtype.forVocabSize(tokenizer.vocabSize()));
    }

    /**
     * @param eotToken the special token that ends each document, e.g. {@code <|endoftext|>}
     * @param dtype    storage type; {@code UINT16} only when the vocabulary fits
     */
    public TokenShardWriter(Path dir, BpeTokenizer tokenizer, String eotToken, DocumentSplitter splitter,
                            TokenDtype dtype) throws IOException {
        if (dtype == TokenDtype.UINT16 && tokenizer.vocabSize() > 65536) {
            throw new IllegalArgumentException("vocabulary of " + tokenizer.vocabSize() + " does not fit uint16");
        }
        this.dir = dir;
        this.tokenizer = tokenizer;
        this.eotId = tokenizer.tokenId(eotToken);
        this.splitter = splitter;
        this.dtype = dtype;
        Files.createDirectories(dir);
        this.train = new SplitFile(dir.resolve(TRAIN + ".bin"));
        this.val = new SplitFile(dir.resolve(VAL + ".bin"));
    }

    /** Encodes a document (special token texts in it stay plain text) and appends it; returns its split name. */
    public String add(String text) throws IOException {
        return add(text, splitter.isValidation(text));
    }

    /** Encodes a document and appends it to the split chosen by the caller; returns its split name. */
    public String add(String text, boolean toVal) throws IOException {
        SplitFile target = toVal ? val : train;
        target.write(tokenizer.encodeOrdinary(text));
        target.write(eotId);
        target.documents++;
        return toVal ? VAL : TRAIN;
    }

    /**
     * Completes the folder: renames the shards into place, saves the tokenizer, then writes {@code index.json}.
     *
     * @param digest the digest of the pipeline run that produced the data
     * @param stats  extra statistics to record under {@code stats.pipeline} (may be null)
     */
    public ShardIndex finish(String digest, JsonNode stats) throws IOException {
        Map<String, ShardIndex.Split> splits = new LinkedHashMap<>();
        splits.put(TRAIN, train.complete());
        splits.put(VAL, val.complete());
        tokenizer.save(dir.resolve(TOKENIZER_FILE));
        ObjectNode allStats = Json.mapper().createObjectNode();
        allStats.putObject("documents").put(TRAIN, train.documents).put(VAL, val.documents);
        if (stats != null) {
            allStats.set("pipeline", stats);
        }
        ShardIndex index = new ShardIndex(ShardIndex.FORMAT, dtype.label(), tokenizer.vocabSize(), eotId, splits,
                digest, TOKENIZER_FILE, allStats);
        AtomicFiles.write(dir.resolve(ShardIndex.FILE), out -> Json.mapper().writeValue(out, index));
        finished = true;
        return index;
    }

    @Override
    public void close() throws IOException {
        try {
            train.close();
        } finally {
            val.close();
        }
    }

    /** One split's file, written under a temp name through a little-endian buffer. */
    private final class SplitFile implements Closeable {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long tokens;
        private long documents;

        SplitFile(Path target) throws IOException {
            this.target = target;
            this.temp = target.resolveSibling(target.getFileName() + ".part");
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        void write(int[] ids) throws IOException {
            for (int id : ids) {
                write(id);
            }
        }

        void write(int id) throws IOException {
            if (buffer.remaining() < dtype.width()) {
                flush();
            }
            if (dtype == TokenDtype.UINT16) {
                buffer.putShort((short) id);
            } else {
                buffer.putInt(id);
            }
            tokens++;
        }

        private void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        ShardIndex.Split complete() throws IOException {
            flush();
            channel.force(true);
            channel.close();
            AtomicFiles.move(temp, target);
            return new ShardIndex.Split(target.getFileName().toString(), tokens);
        }

        @Override
        public void close() throws IOException {
            channel.close();
            if (!finished) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
