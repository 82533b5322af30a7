package org.r1wb.workbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One hyperparameter of a model spec in the property sheet, addressed by its dotted path ({@code moe.topK}); its
 * editor follows the JSON value's kind, and enum fields offer their constants.
 */
public final class ModelFieldItem implements PropertySheet.Item {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String path;
    private final String category;
    private final String description;
    private final List<String> choices;
    private final Class<?> type;
    private final BiConsumer<String, JsonNode> onEdit;
    private final SimpleObjectProperty<Object> value = new SimpleObjectProperty<>();

    ModelFieldItem(String path, String category, String description, List<String> choices, JsonNode current,
                   BiConsumer<String, JsonNode> onEdit) {
        this.path = path;
        this.category = category;
        this.description = description;
        this.choices = List.copyOf(choices);
        this.type = !choices.isEmpty() ? String.class : current.isBoolean() ? Boolean.class
                : current.isIntegralNumber() ? Integer.class : current.isNumber() ? Double.class : String.class;
        this.onEdit = onEdit;
        show(current);
    }

    /** The dotted path of the field in the spec. */
    public String path() {
        return path;
    }

    /** Constants of an enum field; empty otherwise. */
    public List<String> choices() {
        return choices;
    }

    void show(JsonNode current) {
        if (current == null || current.isNull()) {
            value.set(null);
        } else if (type == Boolean.class) {
            value.set(current.asBoolean());
        } else if (type == Integer.class) {
            value.set(current.asInt());
        } else if (type == Double.class) {
            value.set(current.asDouble());
        } else {
            value.set(current.asText());
        }
    }

    @Override
    public Class<?> getType() {
        return type;
    }

    @Override
    public String getCategory() {
        return category;
    }

    @Override
    public String getName() {
        return path;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Object getValue() {
        return value.get();
    }

    @Override
    public void setValue(Object edited) {
        if (edited == null || Objects.equals(edited, value.get())) {
            return;
        }
        value.set(edited);
        JsonNode json = edited instanceof Boolean b ? NODES.booleanNode(b)
                : edited instanceof Integer i ? NODES.numberNode(i)
                : edited instanceof Number n ? (type == Integer.class ? NODES.numberNode(n.intValue()) : NODES.numberNode(n.doubleValue()))
                : NODES.textNode(edited.toString());
        onEdit.accept(path, json);
    }

    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
        return Optional.of(value);
    }
}
