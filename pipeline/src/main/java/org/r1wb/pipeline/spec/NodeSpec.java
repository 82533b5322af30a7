package org.r1wb.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node of a pipeline file: one use of a stage.
 *
 * @param id     unique within the pipeline; edges refer to it
 * @param stage  the stage type, e.g. {@code read.jsonl}
 * @param params parameter values by name; absent ones take the stage's defaults
 */
public record NodeSpec(String id, String stage, Map<String, JsonNode> params) {

    public NodeSpec {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((name, value) -> copy.put(name, value == null ? NullNode.getInstance() : value));
        }
        params = Collections.unmodifiableMap(copy);
    }
}
