package org.r1wb.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A node's parameter values with defaults filled in; read them with the stage's own {@link ParamSpec}s. */
public final class StageParams {

    private final Map<String, JsonNode> values;

    /** Resolves {@code given} against {@code specs}: given values win, absent ones take their default. */
    public StageParams(List<ParamSpec> specs, Map<String, JsonNode> given) {
        Map<String, JsonNode> resolved = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            JsonNode value = given.get(spec.name());
            if (value == null) {
                value = spec.defaultValue();
            }
            if (value != null) {
                resolved.put(spec.name(), value);
            }
        }
        this.values = Collections.unmodifiableMap(resolved);
    }

    /** Every resolved value by name (for digests and display). */
    public Map<String, JsonNode> values() {
        return values;
    }

    /** The raw value. */
    public JsonNode get(ParamSpec spec) {
        JsonNode value = values.get(spec.name());
        if (value == null) {
            throw new IllegalStateException("parameter '" + spec.name() + "' has no value (validate the pipeline first)");
        }
        return value;
    }

    /** The value as an int. */
    public int intValue(ParamSpec spec) {
        return get(spec).asInt();
    }

    /** The value as a long. */
    public long longValue(ParamSpec spec) {
        return get(spec).asLong();
    }

    /** The value as a double. */
    public double doubleValue(ParamSpec spec) {
        return get(spec).asDouble();
    }

    /** The value as a boolean. */
    public boolean booleanValue(ParamSpec spec) {
        return get(spec).asBoolean();
    }

    /** The value as text. */
    public String string(ParamSpec spec) {
        return get(spec).asText();
    }

    /** The value as a list of strings. */
    public List<String> stringList(ParamSpec spec) {
        List<String> list = new ArrayList<>();
        get(spec).forEach(item -> list.add(item.asText()));
        return list;
    }

    /** A {@link ParamType#PATH} value resolved against the workspace root (absolute paths stay as they are). */
    public Path path(ParamSpec spec, Path workspace) {
        return workspace.resolve(string(spec)).normalize();
    }
}
