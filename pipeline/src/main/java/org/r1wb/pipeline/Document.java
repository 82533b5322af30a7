package org.r1wb.pipeline;

import java.util.Map;
import java.util.Objects;

/**
 * One unit of text flowing through a pipeline.
 *
 * @param id       unique within a run; readers use {@code node/relative-path:line}
 * @param text     the content
 * @param source   where it came from (workspace-relative path), for statistics and error messages
 * @param metadata extra fields carried along (e.g. the other scalar fields of a JSONL record)
 */
public record Document(String id, String text, String source, Map<String, String> metadata) {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        metadata = Map.copyOf(metadata);
    }

    /** A document without metadata. */
    public Document(String id, String text, String source) {
        this(id, text, source, Map.of());
    }

    /** The same document with other text. */
    public Document withText(String newText) {
        return new Document(id, newText, source, metadata);
    }
}
