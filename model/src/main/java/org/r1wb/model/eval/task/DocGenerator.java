package org.r1wb.model.eval.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A data source that makes a task's documents in code instead of reading a file, found through
 * {@link java.util.ServiceLoader} by {@link #name()}. It must be deterministic in its parameters: the
 * documents it makes are part of the task's digest.
 */
public interface DocGenerator {

    /** The name a task's {@code data.generator} uses. */
    String name();

    /** The documents for {@code params} (the task's {@code data.params}, an object, possibly empty). */
    List<ObjectNode> generate(JsonNode params);
}
