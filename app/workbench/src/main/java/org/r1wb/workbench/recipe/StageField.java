package org.r1wb.workbench.recipe;

import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One field of a recipe stage in the property sheet: read-only ({@code onEdit} {@code null}) or editable, an edit
 * handed to {@code onEdit}, which runs it as an undoable command on the recipe.
 */
public final class StageField implements PropertySheet.Item {

    private final String name;
    private final Class<?> type;
    private final String category;
    private final String description;
    private final Consumer<Object> onEdit;
    private final SimpleObjectProperty<Object> value = new SimpleObjectProperty<>();

    StageField(String name, Class<?> type, String category, String description, Object current,
               Consumer<Object> onEdit) {
        this.name = name;
        this.type = type;
        this.category = category;
        this.description = description;
        this.onEdit = onEdit;
        value.set(current);
    }

    /** Shows the stage's value without counting as an edit. */
    void show(Object current) {
        value.set(current);
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
        return name;
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
        if (onEdit == null || edited == null || Objects.equals(edited, value.get())) {
            return;
        }
        value.set(edited);
        onEdit.accept(edited);
    }

    @Override
    public boolean isEditable() {
        return onEdit != null;
    }

    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
        return Optional.of(value);
    }
}
