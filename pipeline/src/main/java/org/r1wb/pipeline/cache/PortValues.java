package org.r1wb.pipeline.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private PortValues() {
    }

    static void write(Path dir, String port, PortType type, Object value) throws IOException {
        switch (type) {
            case DOCUMENTS -> writeDocuments(documentsFile(dir, port), ((DocumentBatch) value).documents());
            case TOKENIZED_DOCUMENTS -> {
                TokenizedBatch batch = (TokenizedBatch) value;
                writeDocuments(documentsFile(dir, port), batch.documents());
                batch.tokenizer().save(dir.resolve(port + ".tokenizer.json"));
            }
            case TOKEN_SHARDS -> Json.mapper().writeValue(dir.resolve(port + ".index.json").toFile(), value);
        }
    }

    static Object read(Path dir, String port, PortType type) throws IOException {
        return switch (type) {
            case DOCUMENTS -> new DocumentBatch(readDocuments(documentsFile(dir, port)));
            case TOKENIZED_DOCUMENTS -> new TokenizedBatch(readDocuments(documentsFile(dir, port)),
                    BpeTokenizer.load(dir.resolve(port + ".tokenizer.json")));
            case TOKEN_SHARDS -> Json.mapper().readValue(dir.resolve(port + ".index.json").toFile(), ShardIndex.class);
        };
    }

    private static void writeDocuments(Path file, List<Document> documents) throws IOException {
        try (DocumentFileWriter writer = new DocumentFileWriter(file)) {
            for (Document d : documents) {
                writer.write(d);
            }
        }
    }

    private static List<Document> readDocuments(Path file) throws IOException {
        try (DocumentFileReader reader = new DocumentFileReader(file)) {
            List<Document> documents = new ArrayList<>(reader.count());
            for (Document d = reader.next(); d != null; d = reader.next()) {
                documents.add(d);
            }
            return documents;
        }
    }

    /** The documents file of {@code port} in a values folder. */
    static Path documentsFile(Path dir, String port) {
        return dir.resolve(port + ".docs");
    }
}
