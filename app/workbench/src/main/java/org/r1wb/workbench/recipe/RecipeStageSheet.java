package org.r1wb.workbench.recipe;

import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.PropertySheet;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.recipe.StageKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The selected stage's fields in a ControlsFX {@link PropertySheet}: steps, batch size, learning rate and skip are
 * editable (each edit an undoable command of the {@link RecipeEditorModel}); kind, name, input, data, sequence length
 * and params are shown. The fields are rebuilt when another stage is selected and refreshed in place after an edit
 * or an undo, so an editor being typed in stays.
 */
public final class RecipeStageSheet extends BorderPane {

    private static final String EDITABLE = "Training";
    private static final String SHOWN = "Stage";

    private final RecipeEditorModel model;
    private final PropertySheet sheet = new PropertySheet();
    private final Label caption = new Label();
    private final Map<String, StageField> fields = new LinkedHashMap<>();
    private int shownIndex = -1;

    public RecipeStageSheet(RecipeEditorModel model) {
        this.model = model;
        getStyleClass().add("param-sheet");
        caption.getStyleClass().add("pane-caption");
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        // in the order added: the editable fields first
        sheet.setMode(PropertySheet.Mode.NAME);
        setTop(caption);
        setCenter(sheet);
        model.selectedProperty().addListener((o, was, is) -> show());
        model.recipeProperty().addListener((o, was, is) -> show());
        show();
    }

    /** The field called {@code name} of the stage shown. */
    public Optional<StageField> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    public PropertySheet sheet() {
        return sheet;
    }

    private void show() {
        int index = model.selectedProperty().get();
        Optional<RecipeStage> selected = model.selectedStage();
        if (selected.isEmpty()) {
            shownIndex = -1;
            fields.clear();
            sheet.getItems().clear();
            caption.setText("Select a stage to see its settings");
            return;
        }
        RecipeStage stage = selected.get();
        caption.setText(stage.name() + "  ·  " + stage.kind());
        Map<String, Object> values = values(stage);
        if (index == shownIndex && fields.keySet().equals(values.keySet())) {
            fields.forEach((name, field) -> field.show(values.get(name)));
            return;
        }
        shownIndex = index;
        fields.clear();
        boolean trains = StageKind.of(stage.kind()).map(StageKind::trains).orElse(false);
        add("skip", Boolean.class, EDITABLE, "leave the stage out of runs; the next stage starts from its input",
                values, v -> model.setSkipped(index, (Boolean) v));
        if (trains) {
            add("steps", Integer.class, EDITABLE, "optimizer steps", values,
                    v -> model.setSteps(index, ((Number) v).intValue()));
            add("batchSize", Integer.class, EDITABLE, "rows per step", values,
                    v -> model.setBatchSize(index, ((Number) v).intValue()));
            add("lr", Double.class, EDITABLE, "peak learning rate (warmup, then cosine to minLr)", values,
                    stage.optimizer() == null ? null : v -> model.setLr(index, ((Number) v).doubleValue()));
        }
        add("kind", String.class, SHOWN, "what the stage does", values, null);
        add("name", String.class, SHOWN, "unique in the recipe; the folder of its run", values, null);
        add("input", String.class, SHOWN, "the checkpoint it starts from: an earlier stage or a checkpoint folder "
                + "(empty: the previous stage's)", values, null);
        add("data", String.class, SHOWN, "what it reads, relative to the recipe's folder", values, null);
        if (trains) {
            add("seqLen", Integer.class, SHOWN, "positions per row", values, null);
        }
        stage.params().keySet().forEach(name -> add("params." + name, String.class, "Params",
                "a setting of " + stage.kind() + " (edit it in the file)", values, null));
        sheet.getItems().setAll(fields.values());
    }

    private void add(String name, Class<?> type, String category, String description, Map<String, Object> values,
                     Consumer<Object> onEdit) {
        fields.put(name, new StageField(name, type, category, description, values.get(name), onEdit));
    }

    private static Map<String, Object> values(RecipeStage stage) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("kind", stage.kind());
        values.put("name", stage.name());
        values.put("input", Objects.requireNonNullElse(stage.input(), ""));
        values.put("data", Objects.requireNonNullElse(stage.data(), ""));
        values.put("skip", stage.skipped());
        if (StageKind.of(stage.kind()).map(StageKind::trains).orElse(false)) {
            values.put("steps", stage.steps());
            values.put("batchSize", stage.batchSize());
            values.put("lr", stage.optimizer() == null ? null : stage.optimizer().lr());
            values.put("seqLen", stage.seqLen());
        }
        stage.params().forEach((name, value) -> values.put("params." + name, String.valueOf(value)));
        return values;
    }
}
