package org.r1wb.workbench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;
import org.r1wb.pipeline.stage.ParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One stage parameter in the property sheet, drawn from its {@link ParamSpec}: the editor widget follows the
 * parameter's type, the value shown is the node's own or the stage default, and an edit becomes a JSON value
 * handed to {@code onEdit} (which runs it as an undoable command).
 */
public final class ParamItem implements PropertySheet.Item {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ParamSpec spec;
    private final Consumer<JsonNode> onEdit;
    private final SimpleObjectProperty<Object> value = new SimpleObjectProperty<>();

    ParamItem(ParamSpec spec, JsonNode current, Consumer<JsonNode> onEdit) {
        this.spec = spec;
        this.onEdit = onEdit;
        show(current);
    }

    public ParamSpec spec() {
        return spec;
    }

    /** Shows the node's value (null: the default) without counting as an edit. */
    void show(JsonNode current) {
        JsonNode shown = current != null ? current : spec.defaultValue();
        value.set(shown == null ? null : toJava(shown));
    }

    @Override
    public Class<?> getType() {
        return switch (spec.type()) {
            case INTEGER -> Long.class;
            case NUMBER -> Double.class;
            case BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }

    @Override
    public String getCategory() {
        return spec.required() ? "Required" : "Parameters";
    }

    @Override
    public String getName() {
        return spec.name();
    }

    @Override
    public String getDescription() {
        String range = spec.min() == null && spec.max() == null ? ""
                : " [" + number(spec.min()) + " … " + number(spec.max()) + "]";
        String fallback = spec.defaultValue() == null ? " (required)" : " (default " + spec.defaultValue() + ")";
        return spec.description() + range + fallback;
    }

    @Override
    public Object getValue() {
        return value.get();
    }

    @Override
    public void setValue(Object edited) {
        if (Objects.equals(edited, value.get())) {
            return;
        }
        JsonNode json = toJson(edited);
        if (json != null) {
            value.set(edited);
            onEdit.accept(json);
        }
    }

    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
        return Optional.of(value);
    }

    private Object toJava(JsonNode json) {
        return switch (spec.type()) {
            case INTEGER -> json.isNumber() ? json.asLong() : null;
            case NUMBER -> json.isNumber() ? json.asDouble() : null;
            case BOOLEAN -> json.isBoolean() ? json.asBoolean() : null;
            case STRING_LIST -> {
                List<String> items = new ArrayList<>();
                json.forEach(item -> items.add(item.asText()));
                yield String.join(", ", items);
            }
            default -> json.asText();
        };
    }

    private JsonNode toJson(Object edited) {
        if (edited == null) {
            return null;
        }
        return switch (spec.type()) {
            case INTEGER -> NODES.numberNode(((Number) edited).longValue());
            case NUMBER -> NODES.numberNode(((Number) edited).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) edited);
            case STRING_LIST -> {
                ArrayNode array = NODES.arrayNode();
                for (String part : edited.toString().split(",")) {
                    if (!part.isBlank()) {
                        array.add(part.strip());
                    }
                }
                yield array;
            }
            default -> NODES.textNode(edited.toString());
        };
    }

    private static String number(Double v) {
        if (v == null) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue()) : v.toString();
    }
}
