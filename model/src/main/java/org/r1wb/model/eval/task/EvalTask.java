package org.r1wb.model.eval.task;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated task with its documents, ready to run.
 *
 * @param spec   what the YAML declares
 * @param file   the YAML file it came from
 * @param docs   the documents, after {@code data.limit}
 * @param digest SHA-256 of the YAML bytes and the documents: part of every cache key, so editing either recomputes
 */
public record EvalTask(TaskSpec spec, Path file, List<JsonNode> docs, String digest) {

    public String name() {
        return spec.name();
    }
}
