package org.r1wb.workbench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.ParamType;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.views.graph.GraphNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The selected node's parameters in a ControlsFX {@link PropertySheet}, generated from its stage's
 * {@link ParamSpec}s: numbers get numeric fields, choices a combo box, booleans a check box.
 */
public final class StageParamSheet extends BorderPane {

    private final PropertySheet sheet = new PropertySheet();
    private final Label caption = new Label("Select a node to edit its parameters");
    private final Map<String, ParamItem> items = new LinkedHashMap<>();
    private final Map<String, PropertyEditor<?>> editors = new LinkedHashMap<>();
    private final BiConsumer<String, JsonNode> onEdit;
    private String nodeId;

    /** {@code onEdit} receives (parameter name, new value) for the node shown. */
    public StageParamSheet(BiConsumer<String, JsonNode> onEdit) {
        this.onEdit = onEdit;
        getStyleClass().add("param-sheet");
        caption.getStyleClass().add("pane-caption");
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setMode(PropertySheet.Mode.NAME);
        DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();
        sheet.setPropertyEditorFactory(item -> {
            PropertyEditor<?> editor = item instanceof ParamItem param && param.spec().type() == ParamType.CHOICE
                    ? Editors.createChoiceEditor(item, param.spec().choices())
                    : defaults.call(item);
            editors.put(item.getName(), editor);
            return editor;
        });
        setTop(caption);
        setCenter(sheet);
    }

    /** Shows {@code node} (of {@code stage}); null clears the sheet. */
    public void show(GraphNode node, Stage stage) {
        items.clear();
        editors.clear();
        nodeId = node == null ? null : node.id();
        if (node == null || stage == null) {
            caption.setText(node == null ? "Select a node to edit its parameters" : "Unknown stage " + node.type());
            sheet.getItems().clear();
            return;
        }
        caption.setText(node.id() + "  ·  " + stage.id());
        for (ParamSpec spec : stage.params()) {
            items.put(spec.name(), new ParamItem(spec, (JsonNode) node.params().get(spec.name()),
                    value -> onEdit.accept(spec.name(), value)));
        }
        sheet.getItems().setAll(items.values());
    }

    /** Refreshes the values shown from the node (after an undo, a redo or a text edit). */
    public void refresh(GraphNode node) {
        if (node != null && node.id().equals(nodeId)) {
            items.forEach((name, item) -> item.show((JsonNode) node.params().get(name)));
        }
    }

    /** The node shown, if any. */
    public Optional<String> nodeId() {
        return Optional.ofNullable(nodeId);
    }

    /** The item of parameter {@code name}. */
    public Optional<ParamItem> item(String name) {
        return Optional.ofNullable(items.get(name));
    }

    /** The editor the sheet made for parameter {@code name}, once the sheet has been laid out. */
    public Optional<PropertyEditor<?>> editor(String name) {
        return Optional.ofNullable(editors.get(name));
    }

    public PropertySheet sheet() {
        return sheet;
    }
}
