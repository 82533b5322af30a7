package org.r1wb.pipeline.cache;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.shards.ShardIndex;
import org.r1wb.pipeline.stage.DocumentBatch;
import org.r1wb.pipeline.stage.PortType;
import org.r1wb.pipeline.stage.TokenizedBatch;

/**
 * Writes and reads the value of one output port inside a node cache entry. Documents go to a compact binary file
 * ({@code <port>.docs}: a magic number, a version, a count, then per document its id, text, source and metadata as
 * length-prefixed UTF-8), tokenizers to {@code <port>.tokenizer.json}, shard indexes to {@code <port>.index.json}.
 */
final class PortValues {

    private static final int MAGIC = 0x52317744; // "R1wD"
    private static final int VERSION = 1;

    private PortValues() {
    }

    static void write(Path dir, String port, PortType type, Object value) throws IOException {
        switch (type) {
            case DOCUMENTS -> writeDocuments(dir.resolve(port + ".docs"), ((DocumentBatch) value).documents());
            case TOKENIZED_DOCUMENTS -> {
                TokenizedBatch batch = (TokenizedBatch) value;
                writeDocuments(dir.resolve(port + ".docs"), batch.documents());
                batch.tokenizer().save(dir.resolve(port + ".tokenizer.json"));
            }
            case TOKEN_SHARDS -> Json.mapper().writeValue(dir.resolve(port + ".index.json").toFile(), value);
        }
    }

    static Object read(Path dir, String port, PortType type) throws IOException {
        return switch (type) {
            case DOCUMENTS -> new DocumentBatch(readDocuments(dir.resolve(port + ".docs")));
            case TOKENIZED_DOCUMENTS -> new TokenizedBatch(readDocuments(dir.resolve(port + ".docs")),
                    BpeTokenizer.load(dir.resolve(port + ".tokenizer.json")));
            case TOKEN_SHARDS -> Json.mapper().readValue(dir.resolve(port + ".index.json").toFile(), ShardIndex.class);
        };
    }

    private static void writeDocuments(Path file, List<Document> documents) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(documents.size());
            for (Document d : documents) {
                writeString(out, d.id());
                writeString(out, d.text());
                writeString(out, d.source());
                out.writeInt(d.metadata().size());
                for (Map.Entry<String, String> e : d.metadata().entrySet()) {
                    writeString(out, e.getKey());
                    writeString(out, e.getValue());
                }
            }
        }
    }

    private static List<Document> readDocuments(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + ": not a document cache file of version " + VERSION);
            }
            int count = in.readInt();
            List<Document> documents = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String id = readString(in);
                String text = readString(in);
                String source = readString(in);
                int fields = in.readInt();
                Map<String, String> metadata = new LinkedHashMap<>();
                for (int f = 0; f < fields; f++) {
                    metadata.put(readString(in), readString(in));
                }
                documents.add(new Document(id, text, source, metadata));
            }
            return documents;
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
