package org.r1wb.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Optional;
import org.r1wb.pipeline.Problem;

/**
 * One parameter of a stage: the single place its key, type, default and range live (stages read values through
 * {@link StageParams} with the same object, editors draw from it).
 *
 * @param name         key in the pipeline file's {@code params}
 * @param type         value kind
 * @param defaultValue used when the key is absent; null means the parameter is required
 * @param min          inclusive lower bound for numbers, or null
 * @param max          inclusive upper bound for numbers, or null
 * @param choices      allowed values of a {@link ParamType#CHOICE}, else empty
 * @param description  one line for tooltips and {@code --help}
 */
public record ParamSpec(String name, ParamType type, JsonNode defaultValue, Double min, Double max,
                        List<String> choices, String description) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public ParamSpec {
        choices = List.copyOf(choices);
    }

    /** An integer parameter with an inclusive range. */
    public static ParamSpec integer(String name, long defaultValue, long min, long max, String description) {
        return new ParamSpec(name, ParamType.INTEGER, NODES.numberNode(defaultValue), (double) min, (double) max,
                List.of(), description);
    }

    /** A decimal parameter with an inclusive range. */
    public static ParamSpec number(String name, double defaultValue, double min, double max, String description) {
        return new ParamSpec(name, ParamType.NUMBER, NODES.numberNode(defaultValue), min, max, List.of(), description);
    }

    /** A true/false parameter. */
    public static ParamSpec bool(String name, boolean defaultValue, String description) {
        return new ParamSpec(name, ParamType.BOOLEAN, NODES.booleanNode(defaultValue), null, null, List.of(), description);
    }

    /** A free-text parameter. */
    public static ParamSpec string(String name, String defaultValue, String description) {
        return new ParamSpec(name, ParamType.STRING, NODES.textNode(defaultValue), null, null, List.of(), description);
    }

    /** One of a fixed set of values. */
    public static ParamSpec choice(String name, String defaultValue, List<String> choices, String description) {
        return new ParamSpec(name, ParamType.CHOICE, NODES.textNode(defaultValue), null, null, choices, description);
    }

    /** A list of strings. */
    public static ParamSpec stringList(String name, List<String> defaultValue, String description) {
        ArrayNode array = NODES.arrayNode();
        defaultValue.forEach(array::add);
        return new ParamSpec(name, ParamType.STRING_LIST, array, null, null, List.of(), description);
    }

    /** A required file or folder path. */
    public static ParamSpec path(String name, String description) {
        return new ParamSpec(name, ParamType.PATH, null, null, null, List.of(), description);
    }

    /** True when the pipeline file must give a value. */
    public boolean required() {
        return defaultValue == null;
    }

    /** What is wrong with {@code value} for this parameter, located at {@code params.<name>}; empty if fine. */
    public Optional<Problem> check(JsonNode value) {
        String path = "params." + name;
        switch (type) {
            case INTEGER:
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    return Optional.of(new Problem(path, "'" + name + "' must be an integer, was " + value,
                            "write a whole number" + rangeText()));
                }
                return checkRange(path, value.asDouble());
            case NUMBER:
                if (!value.isNumber()) {
                    return Optional.of(new Problem(path, "'" + name + "' must be a number, was " + value,
                            "write a number" + rangeText()));
                }
                return checkRange(path, value.asDouble());
            case BOOLEAN:
                return value.isBoolean() ? Optional.empty() : Optional.of(new Problem(path,
                        "'" + name + "' must be true or false, was " + value, "write true or false"));
            case CHOICE:
                return value.isTextual() && choices.contains(value.asText()) ? Optional.empty() : Optional.of(
                        new Problem(path, "'" + name + "' must be one of " + choices + ", was " + value,
                                "use one of " + choices));
            case STRING_LIST:
                boolean strings = value.isArray();
                for (JsonNode item : value) {
                    strings &= item.isTextual();
                }
                return strings ? Optional.empty() : Optional.of(new Problem(path,
                        "'" + name + "' must be a list of strings, was " + value, "write [\"a\", \"b\"]"));
            case PATH:
                return value.isTextual() && !value.asText().isBlank() ? Optional.empty() : Optional.of(new Problem(path,
                        "'" + name + "' must be a non-empty path, was " + value,
                        "write a path relative to the workspace root, e.g. \"data/raw/corpus.txt\""));
            default:
                return value.isTextual() ? Optional.empty() : Optional.of(new Problem(path,
                        "'" + name + "' must be a string, was " + value, "quote the value"));
        }
    }

    private Optional<Problem> checkRange(String path, double v) {
        if ((min != null && v < min) || (max != null && v > max)) {
            return Optional.of(new Problem(path, "'" + name + "' is " + format(v) + ", outside" + rangeText(),
                    "use a value" + rangeText()));
        }
        return Optional.empty();
    }

    private String rangeText() {
        if (min == null && max == null) {
            return "";
        }
        return " in [" + (min == null ? "-∞" : format(min)) + ", " + (max == null ? "∞" : format(max)) + "]";
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
