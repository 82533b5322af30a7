package org.r1wb.workbench.model;

import atlantafx.base.theme.Styles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.spec.SpecValidator;
import org.r1wb.views.command.Command;
import org.r1wb.views.command.CommandStack;
import org.r1wb.workbench.editor.EditorButtons;
import org.r1wb.workbench.editor.JsonCodeArea;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.r1wb.workbench.editor.EditorButtons.button;

/**
 * The editor of a {@code *.model.json}: the model as a block diagram with tensor shapes, every hyperparameter in a
 * property sheet, live tiles for total and active parameters, training FLOPs per token and training-state memory
 * (computed by {@link ModelEstimates}), validation problems flagged at their field, presets, undo/redo and the
 * JSON text kept in sync both ways.
 */
public final class ModelEditor extends BorderPane {

    private static final double MILLION = 1e6;
    private static final double MIB = 1 << 20;
    private static final Map<String, String> CATEGORY = Map.of("moe", "Mixture of experts");

    private final Path file;
    private final CommandStack commands = new CommandStack();
    private final PropertySheet sheet = new PropertySheet();
    private final Map<String, ModelFieldItem> items = new LinkedHashMap<>();
    private final Map<String, PropertyEditor<?>> editors = new LinkedHashMap<>();
    private final ModelDiagram diagram = new ModelDiagram();
    private final LayerStrip layers = new LayerStrip(this::applyLayers);
    private final Tile totalTile = tile("Total parameters", "M");
    private final Tile activeTile = tile("Active parameters / token", "M");
    private final Tile flopsTile = tile("Training FLOPs / token", "MFLOP");
    private final Tile memoryTile = tile("Weights + grads + AdamW", "MiB");
    private final JsonCodeArea jsonText = new JsonCodeArea();
    private final Label summary = new Label();
    private final ObservableList<SpecProblem> problems = FXCollections.observableArrayList();
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty");
    private final PauseTransition textEdit = new PauseTransition(Duration.millis(400));
    private ObjectNode tree;
    private ModelSpec spec;
    private ModelEstimates estimates;

    public ModelEditor(Path file) {
        this.file = file;
        getStyleClass().add("model-editor");
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        sheet.setMode(PropertySheet.Mode.NAME);
        DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();
        sheet.setPropertyEditorFactory(item -> {
            PropertyEditor<?> editor = item instanceof ModelFieldItem field && !field.choices().isEmpty()
                    ? Editors.createChoiceEditor(item, field.choices()) : defaults.call(item);
            editors.put(item.getName(), editor);
            Platform.runLater(this::flagFields);
            return editor;
        });
        commands.addListener(() -> dirty.set(commands.dirty()));
        textEdit.setOnFinished(e -> applyText());
        jsonText.textProperty().addListener((obs, old, text) -> {
            if (!jsonText.isShowing()) {
                textEdit.playFromStart();
            }
        });

        HBox tiles = new HBox(10, totalTile, activeTile, flopsTile, memoryTile);
        tiles.getStyleClass().add("model-tiles");
        tiles.setPadding(new Insets(10));
        VBox drawing = new VBox(12, layers, diagram);
        drawing.setAlignment(Pos.TOP_CENTER);
        drawing.setPadding(new Insets(10, 0, 0, 0));
        ScrollPane diagramScroll = new ScrollPane(drawing);
        diagramScroll.setFitToWidth(true);
        diagramScroll.getStyleClass().add("model-diagram-scroll");
        Tab diagramTab = new Tab("Diagram", diagramScroll);
        Tab textTab = new Tab("JSON", new VirtualizedScrollPane<>(jsonText));
        TabPane views = new TabPane(diagramTab, textTab);
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
                BorderPane centre = new BorderPane(views);
        centre.setTop(tiles);
        Label caption = new Label("Hyperparameters");
        caption.getStyleClass().add("pane-caption");
        BorderPane side = new BorderPane(sheet);
        side.setTop(caption);
        SplitPane split = new SplitPane(centre, side);
        split.setDividerPositions(0.64);
        SplitPane.setResizableWithParent(side, false);
        setTop(toolBar());
        setCenter(split);
        load();
    }

    public CommandStack commands() {
        return commands;
    }

    /** The spec as edited now (it may be invalid: see {@link #problems()}). */
    public ModelSpec spec() {
        return spec;
    }

    /** The estimates the tiles show; empty while the spec is invalid. */
    public Optional<ModelEstimates> estimates() {
        return Optional.ofNullable(estimates);
    }

    public ObservableList<SpecProblem> problems() {
        return problems;
    }

    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    public Tile totalTile() {
        return totalTile;
    }

    public Tile activeTile() {
        return activeTile;
    }

    public Tile flopsTile() {
        return flopsTile;
    }

    public Tile memoryTile() {
        return memoryTile;
    }

    /** The tool bar's summary: "Valid", the first problem, or why a layer choice was refused. */
    public Label summary() {
        return summary;
    }

    /** The per-layer chips and the range row. */
    public LayerStrip layers() {
        return layers;
    }

    /**
     * Applies a per-layer choice as one undoable command, or shows why the spec cannot express it.
     *
     * @return whether it was applied
     */
    public boolean applyLayers(LayerBlocks.Change change) {
        if (change.refused()) {
            summary.setText(change.label());
            summary.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), true);
            return false;
        }
        replace(change.spec(), change.label());
        return true;
    }

    public ModelDiagram diagram() {
        return diagram;
    }

    public JsonCodeArea jsonText() {
        return jsonText;
    }

    /** The sheet's item for the field at {@code path} ({@code moe.topK}). */
    public Optional<ModelFieldItem> field(String path) {
        return Optional.ofNullable(items.get(path));
    }

    /** The editor the sheet made for the field at {@code path}, once laid out. */
    public Optional<PropertyEditor<?>> fieldEditor(String path) {
        return Optional.ofNullable(editors.get(path));
    }

    /** Sets one field as an undoable command (what the property sheet does). */
    public void set(String path, JsonNode value) {
        JsonNode old = at(tree, path);
        if (value.equals(old)) {
            return;
        }
        commands.run(new Command() {
            @Override
            public String label() {
                return "Set " + path;
            }

            @Override
            public void execute() {
                put(path, value);
            }

            @Override
            public void undo() {
                put(path, old);
            }
        });
    }

    /** Replaces the whole spec (a preset) as one undoable command. */
    public void replace(ModelSpec next, String label) {
        ObjectNode before = tree.deepCopy();
        ObjectNode after = ModelSpecs.JSON.valueToTree(next);
        commands.run(new Command() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public void execute() {
                tree = after.deepCopy();
                rebuildItems();
                update();
            }

            @Override
            public void undo() {
                tree = before.deepCopy();
                rebuildItems();
                update();
            }
        });
    }

    /** Writes the file atomically. */
    public void save() throws IOException {
        ModelSpecs.writeAtomically(file, ModelSpecs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n");
        commands.markSaved();
    }

    private void load() {
        try {
            tree = (ObjectNode) ModelSpecs.JSON.readTree(Files.readString(file));
        } catch (IOException | ClassCastException e) {
            tree = ModelSpecs.JSON.valueToTree(ModelPresets.smallMoe());
            summary.setText("Cannot read " + file.getFileName() + " (" + e.getMessage() + "); showing a preset");
        }
        rebuildItems();
        update();
    }

    private void put(String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        if (value == null) {
            parent.remove(parts[parts.length - 1]);
        } else {
            parent.set(parts[parts.length - 1], value);
        }
        ModelFieldItem item = items.get(path);
        if (item != null) {
            item.show(value);
        }
        update();
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    private void rebuildItems() {
        items.clear();
        editors.clear();
        addItems(tree, "");
        sheet.getItems().setAll(items.values());
    }

    private void addItems(JsonNode node, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            if (field.getValue().isObject()) {
                addItems(field.getValue(), path + ".");
                continue;
            }
            if (field.getValue().isArray()) {
                continue; // layerKinds: edited in the layer strip, where a list of layers reads as layers
            }
            List<String> choices = switch (field.getKey()) {
                case "gate" -> Arrays.stream(GateFunction.values()).map(Enum::name).toList();
                case "balancing" -> Arrays.stream(Balancing.values()).map(Enum::name).toList();
                default -> List.of();
            };
            String category = prefix.isEmpty() ? "Shape" : CATEGORY.getOrDefault(prefix.substring(0, prefix.length() - 1), prefix);
            items.put(path, new ModelFieldItem(path, category, description(path), choices, field.getValue(), this::set));
        }
    }

    private static String description(String path) {
        return switch (path) {
            case "kvHeads" -> "key/value heads; fewer than heads is grouped-query attention (per layer: the layer strip)";
            case "denseLayers" -> "how many of the first layers use a dense FFN (per layer: the layer strip)";
            case "moe.routedExperts" -> "experts the router chooses among (E)";
            case "moe.topK" -> "routed experts per token (K), at most routedExperts";
            case "moe.sharedExperts" -> "experts every token passes through";
            case "moe.expertHidden" -> "hidden width of each expert";
            default -> path;
        };
    }

    /** Recomputes the spec, its problems, the tiles, the diagram, the text and the field flags. */
    private void update() {
        String problem = null;
        try {
            spec = ModelSpecs.JSON.treeToValue(tree, ModelSpec.class);
        } catch (JsonProcessingException e) {
            spec = null;
            problem = e.getOriginalMessage();
        }
        problems.setAll(spec == null ? List.of(new SpecProblem("", problem, "fix the JSON"))
                : SpecValidator.validate(spec));
        estimates = spec != null && problems.isEmpty() ? ModelEstimates.of(spec) : null;
        showTiles();
        layers.show(problems.isEmpty() ? spec : null);
        diagram.show(problems.isEmpty() ? spec : null, problems.isEmpty() ? null
                : problems.get(0).path() + ": " + problems.get(0).message());
        summary.setText(problems.isEmpty() ? "Valid" : problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + ": " + problems.get(0));
        summary.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), !problems.isEmpty());
        try {
            if (!jsonText.isFocused()) {
                jsonText.show(ModelSpecs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n");
            }
        } catch (JsonProcessingException e) {
            summary.setText(e.getOriginalMessage());
        }
        flagFields();
    }

    private void showTiles() {
        boolean known = estimates != null;
        totalTile.setValue(known ? estimates.totalParams() / MILLION : 0);
        activeTile.setValue(known ? estimates.activeParamsPerToken() / MILLION : 0);
        flopsTile.setValue(known ? estimates.trainingFlopsPerToken() / MILLION : 0);
        memoryTile.setValue(known ? estimates.trainingStateBytes() / MIB : 0);
        String note = known ? "" : "invalid spec";
        for (Tile tile : List.of(totalTile, activeTile, flopsTile, memoryTile)) {
            tile.setDescription(note);
        }
        if (known) {
            activeTile.setDescription(String.format(java.util.Locale.ROOT, "%.0f %% of total",
                    100.0 * estimates.activeParamsPerToken() / estimates.totalParams()));
        }
    }

    /** Marks the editors of fields with a problem (red, the problem in the tooltip) and clears the others. */
    private void flagFields() {
        editors.forEach((path, editor) -> {
            Optional<SpecProblem> problem = problems.stream().filter(p -> p.path().equals(path)).findFirst();
            javafx.scene.Node node = editor.getEditor();
            node.pseudoClassStateChanged(Styles.STATE_DANGER, problem.isPresent());
            String tip = problem.map(p -> p.message() + " — " + p.fix())
                    .orElse(items.get(path) == null ? path : items.get(path).getDescription());
            if (node instanceof javafx.scene.control.Control control) {
                control.setTooltip(new Tooltip(tip));
            }
        });
    }

    /** A text edit that parses as a JSON object replaces the spec (one undoable step). */
    private void applyText() {
        try {
            JsonNode edited = ModelSpecs.JSON.readTree(jsonText.getText());
            if (!(edited instanceof ObjectNode object) || edited.equals(tree)) {
                return;
            }
            replace(ModelSpecs.JSON.treeToValue(object, ModelSpec.class), "Edit text");
        } catch (JsonProcessingException e) {
            summary.setText("JSON: " + e.getOriginalMessage());
        }
    }

    private ToolBar toolBar() {
        Button save = button("Save", "Write the model file", () -> {
            try {
                save();
            } catch (IOException e) {
                summary.setText("Cannot save: " + e.getMessage());
            }
        });
        List<Button> undoRedo = EditorButtons.undoRedo(commands);
        Button undo = undoRedo.get(0);
        Button redo = undoRedo.get(1);
        MenuItem tiny = new MenuItem("Tiny character model");
        tiny.setOnAction(e -> replace(ModelPresets.tinyChar(), "Preset tiny"));
        MenuItem moe = new MenuItem("DeepSeek-V3-style small MoE");
        moe.setOnAction(e -> replace(ModelPresets.smallMoe(), "Preset small MoE"));
        MenuItem dense = new MenuItem("Dense baseline of equal active FFN");
        dense.setOnAction(e -> {
            if (spec != null) {
                replace(ModelPresets.denseTwin(spec), "Preset dense twin");
            }
        });
        MenuButton presets = new MenuButton("Presets", null, tiny, moe, dense);
        presets.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        summary.getStyleClass().add("editor-summary");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar bar = new ToolBar(save, undo, redo, new Separator(Orientation.VERTICAL), presets, spacer, summary);
        bar.getStyleClass().add("editor-toolbar");
        return bar;
    }

    private static Tile tile(String title, String unit) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.NUMBER)
                .title(title)
                .unit(unit)
                .decimals(2)
                .minValue(0)
                .maxValue(Double.MAX_VALUE)
                .animated(false)
                .prefSize(210, 120)
                .build();
        tile.getStyleClass().add("estimate-tile");
        return tile;
    }
}
