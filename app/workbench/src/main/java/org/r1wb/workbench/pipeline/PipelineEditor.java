package org.r1wb.workbench.pipeline;

import atlantafx.base.theme.Styles;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Orientation;
import javafx.scene.Cursor;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.concurrent.Task;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.PluginFolders;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.r1wb.pipeline.InvalidPipelineException;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.spec.PipelineValidator;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;
import org.r1wb.views.command.CommandStack;
import org.r1wb.views.graph.ConnectionRule;
import org.r1wb.views.graph.GraphCanvas;
import org.r1wb.views.graph.GraphCommands;
import org.r1wb.views.graph.GraphModel;
import org.r1wb.views.graph.GraphNode;
import org.r1wb.views.graph.NodeDecoration;
import org.r1wb.workbench.editor.EditorButtons;
import org.r1wb.workbench.BackgroundTasks;
import org.r1wb.workbench.editor.JsonCodeArea;
import org.r1wb.workbench.plugin.PluginCatalog;
import org.r1wb.workbench.plugin.PluginStage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.r1wb.workbench.editor.EditorButtons.button;

/**
 * The editor of a {@code *.pipeline.json}: a searchable palette of stages, the node-graph canvas, the selected
 * node's parameters, validation markers, a run with per-node progress and statistics, a preview of dropped
 * documents and the file's JSON text kept in sync with the graph both ways. Every edit is an undoable command.
 */
public final class PipelineEditor extends BorderPane {

    private static final Pattern NODE_PATH = Pattern.compile("^nodes\\[(\\d+)]");
    private static final Pattern EDGE_PATH = Pattern.compile("^edges\\[(\\d+)]");
    private static final String PIPELINE_SUFFIX = ".pipeline.json";

    private final Path file;
    private final Path workspace;
    private final BackgroundTasks tasks;
    private final LocalRunLauncher launcher = new LocalRunLauncher(agentOptions());
    private StageRegistry registry;
    private PipelineValidator validator;
    private final GraphModel model = new GraphModel();
    private final CommandStack commands = new CommandStack();
    private final GraphCanvas canvas;
    private final TextField search = new TextField();
    private final ObservableList<Stage> stages;
    private final FilteredList<Stage> shownStages;
    private final ListView<Stage> palette;
    private final StageParamSheet params;
    private final JsonCodeArea jsonText = new JsonCodeArea();
    private final Label jsonProblem = new Label();
    private final StyleClassedTextArea preview = new StyleClassedTextArea();
    private final ObservableList<Problem> problems = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty");
    private final PauseTransition textEdit = new PauseTransition(Duration.millis(400));
    private final Label runSummary = new Label();
    private final Map<String, StageStats> lastStats = new LinkedHashMap<>();
    private List<DroppedDocument> lastDropped = List.of();
    private Consumer<String> log = line -> { };
    private boolean syncQueued;
    private Task<PipelineRun.Outcome> run;
    private final SplitPane split;
    private String name;

    public PipelineEditor(Path file, Path workspace, StageRegistry registry, BackgroundTasks tasks) {
        this.file = file;
        this.workspace = workspace;
        this.registry = registry;
        this.tasks = tasks;
        this.validator = new PipelineValidator(registry);
        getStyleClass().add("pipeline-editor");
        canvas = new GraphCanvas(model, commands, ConnectionRule.typed());
        canvas.setNodeFactory(placed -> registry.find(placed.type())
                .map(stage -> PipelineGraphs.newNode(stage, model.freeId(PipelineGraphs.baseId(stage.id())),
                        placed.x(), placed.y())));
        stages = FXCollections.observableArrayList(registry.all());
        shownStages = new FilteredList<>(stages);
        palette = new ListView<>(shownStages);
        params = new StageParamSheet(this::editParam);

        model.addListener(this::queueSync);
        commands.addListener(() -> dirty.set(commands.dirty()));
        canvas.selection().addListener((javafx.collections.ListChangeListener<String>) c -> showSelected());
        textEdit.setOnFinished(e -> applyText());
        jsonText.textProperty().addListener((obs, old, text) -> {
            if (!jsonText.isShowing()) {
                textEdit.playFromStart();
            }
        });

        SplitPane centre = new SplitPane(canvas, bottomTabs());
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(0.72);
        split = new SplitPane(palettePane(), centre, params);
        split.setDividerPositions(0.17, 0.79);
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        SplitPane.setResizableWithParent(split.getItems().get(2), false);
        setTop(toolBar());
        setCenter(split);
        load();
        askAgentForPluginStages();
    }

    public GraphModel model() {
        return model;
    }

    public CommandStack commands() {
        return commands;
    }

    public GraphCanvas canvas() {
        return canvas;
    }

    /**
     * Takes the parameter sheet out of this editor's own layout and returns it, for a host (the workbench's
     * Properties window) that shows it instead, so the sheet exists once. It still follows the selection.
     */
    public StageParamSheet detachParams() {
        split.getItems().remove(params);
        split.setDividerPositions(0.26);
        return params;
    }

    public StageParamSheet params() {
        return params;
    }

    public ListView<Stage> palette() {
        return palette;
    }

    public TextField searchField() {
        return search;
    }

    public JsonCodeArea jsonText() {
        return jsonText;
    }

    /** The preview of dropped documents after a run. */
    public StyleClassedTextArea preview() {
        return preview;
    }

    /** The file's validation problems, updated after every edit. */
    public ObservableList<Problem> problems() {
        return problems;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Whether the graph differs from the file on disk. */
    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    public Path file() {
        return file;
    }

    /** Statistics of the last run, by node id. */
    public Map<String, StageStats> lastStats() {
        return Map.copyOf(lastStats);
    }

    /** The dropped documents the last run located. */
    public List<DroppedDocument> lastDropped() {
        return lastDropped;
    }

    /** Where run progress lines go (the Console tool window). */
    public void setLog(Consumer<String> log) {
        this.log = log;
    }

    /** The pipeline the graph stands for now. */
    public PipelineSpec spec() {
        return PipelineGraphs.toSpec(name, model, registry);
    }

    /** Writes the pipeline file and its layout, both atomically. */
    public void save() throws IOException {
        spec().write(file);
        Map<String, double[]> layout = new LinkedHashMap<>();
        model.nodes().forEach(n -> layout.put(n.id(), new double[] {n.x(), n.y()}));
        PipelineLayout.write(file, layout);
        commands.markSaved();
    }

    /** Saves, then runs the pipeline on a worker thread; the returned task ends with the run. */
    public Optional<Task<PipelineRun.Outcome>> run() {
        if (running.get() || !saved()) {
            return Optional.empty();
        }
        Set<String> all = new LinkedHashSet<>();
        model.nodes().forEach(n -> all.add(n.id()));
        lastStats.clear();
        lastDropped = List.of();
        return Optional.of(start(file, all, "pipeline " + workspace.relativize(file), null));
    }

    /**
     * Saves, then runs only {@code nodeId} and the nodes it depends on ("Run to here"): their sub-graph, same ids
     * and parameters, is written to a temporary pipeline file and run, so the nodes share their cache entries
     * with full runs. Downstream nodes keep their badges and do not run.
     */
    public Optional<Task<PipelineRun.Outcome>> runTo(String nodeId) {
        if (running.get() || model.node(nodeId).isEmpty() || !saved()) {
            return Optional.empty();
        }
        PipelineSpec whole = spec();
        Path partial;
        try {
            partial = Files.createTempFile("r1wb-run-to-", PIPELINE_SUFFIX);
            PipelineSubgraph.upTo(whole, nodeId).write(partial);
        } catch (IOException e) {
            runSummary.setText("Cannot write the sub-pipeline: " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(start(partial, PipelineSubgraph.ancestorsAndSelf(whole, nodeId),
                "pipeline " + workspace.relativize(file) + " up to " + nodeId, partial));
    }

    private boolean saved() {
        try {
            save();
            return true;
        } catch (IOException e) {
            runSummary.setText("Cannot save " + file.getFileName() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Runs {@code pipelineFile}, whose nodes are {@code nodes}; {@code temporary}, if not null, is deleted after. A
     * pipeline with a plugin stage runs in a child agent (plugin code never runs in the workbench), any other here.
     */
    private Task<PipelineRun.Outcome> start(Path pipelineFile, Set<String> nodes, String what, Path temporary) {
        nodes.forEach(lastStats::remove);
        lastDropped = lastDropped.stream().filter(d -> !nodes.contains(d.nodeId())).toList();
        boolean inAgent = nodes.stream().map(model::node).flatMap(Optional::stream)
                .anyMatch(n -> registry.find(n.type()).orElse(null) instanceof PluginStage);
        // the agent reports statistics at the end only, so its nodes show as running from the start
        nodes.forEach(id -> canvas.decorate(id, canvas.decoration(id).withRun(inAgent
                ? NodeDecoration.RunState.RUNNING : NodeDecoration.RunState.WAITING, 0, inAgent ? "in the agent" : "")));
        run = inAgent ? new AgentPipelineRun(workspace, pipelineFile, launcher, log)
                : new PipelineRun(workspace, pipelineFile, registry, new RunDisplay());
        running.set(true);
        runSummary.setText("Running…");
        log.accept(what + ": started");
        Runnable cleanUp = () -> {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    log.accept("cannot delete " + temporary + ": " + e.getMessage());
                }
            }
        };
        run.setOnSucceeded(e -> {
            cleanUp.run();
            finished(run.getValue(), what);
        });
        run.setOnFailed(e -> {
            cleanUp.run();
            failed(run.getException(), what);
        });
        run.setOnCancelled(e -> {
            cleanUp.run();
            failed(null, what);
        });
        tasks.submit(run);
        return run;
    }

    /**
     * Adds stages the agent described (a plugin's) to the palette, the property sheet and the validator, as
     * built-ins; nodes of those stages already in the graph get their ports.
     */
    public void addPluginStages(List<PluginStage> added) {
        List<PluginStage> fresh = added.stream().filter(stage -> registry.find(stage.id()).isEmpty()).toList();
        if (fresh.isEmpty()) {
            return;
        }
        registry = registry.plus(fresh);
        validator = new PipelineValidator(registry);
        stages.setAll(registry.all());
        Set<String> ids = new LinkedHashSet<>();
        fresh.forEach(stage -> ids.add(stage.id()));
        if (model.nodes().stream().anyMatch(n -> ids.contains(n.type()))) {
            Map<String, double[]> positions = new LinkedHashMap<>();
            model.nodes().forEach(n -> positions.put(n.id(), new double[] {n.x(), n.y()}));
            PipelineGraphs.Contents contents = PipelineGraphs.toGraph(spec(), registry, positions);
            // the file's own nodes, now with their ports: not an edit to undo
            GraphCommands.replace(model, contents.nodes(), contents.edges()).execute();
        }
        queueSync();
    }

    /** The child agent's JVM options: the user plugin folder this workbench was told about, if any. */
    private static List<String> agentOptions() {
        String userPlugins = System.getProperty(PluginFolders.USER_PROPERTY);
        return userPlugins == null ? List.of() : List.of("-D" + PluginFolders.USER_PROPERTY + "=" + userPlugins);
    }

    /** Lists the workspace's plugin stages through the agent, in the background, when there is any plugin jar. */
    private void askAgentForPluginStages() {
        if (!PluginCatalog.hasJars(workspace)) {
            return;
        }
        Task<List<PluginStage>> ask = new Task<>() {
            @Override
            protected List<PluginStage> call() throws IOException {
                updateMessage("Listing plugin stages");
                return PluginCatalog.stages(workspace, launcher);
            }
        };
        ask.setOnSucceeded(e -> addPluginStages(ask.getValue()));
        ask.setOnFailed(e -> log.accept("plugin stages: " + ask.getException().getMessage()));
        tasks.submit(ask);
    }

    /** Asks the running pipeline to stop. */
    public void cancel() {
        if (run != null) {
            run.cancel(false);
        }
    }

    private void load() {
        String base = file.getFileName().toString();
        name = base.endsWith(PIPELINE_SUFFIX) ? base.substring(0, base.length() - PIPELINE_SUFFIX.length()) : base;
        try {
            PipelineSpec spec = PipelineSpec.read(file);
            name = spec.name();
            Map<String, double[]> layout = PipelineLayout.read(file);
            PipelineGraphs.Contents contents = PipelineGraphs.toGraph(spec, registry, layout);
            GraphCommands.add(model, contents.nodes(), contents.edges()).execute();
            boolean placed = spec.nodes().stream().allMatch(n -> layout.containsKey(n.id()));
            // after the canvas has made the skins (their heights space the layout); a layout is no edit to undo
            Platform.runLater(() -> {
                if (!placed) {
                    canvas.layoutCommand().execute();
                }
                Platform.runLater(canvas::zoomToFit);
            });
        } catch (IOException | InvalidPipelineException e) {
            runSummary.setText(e.getMessage());
            try {
                jsonText.show(Files.readString(file));
            } catch (IOException unreadable) {
                jsonText.show("");
            }
        }
    }

    private void queueSync() {
        if (!syncQueued) {
            syncQueued = true;
            Platform.runLater(this::sync);
        }
    }

    /** After edits: the text view, the markers, the problems and the parameter sheet follow the graph. */
    private void sync() {
        syncQueued = false;
        PipelineSpec spec = spec();
        try {
            if (!jsonText.isFocused()) {
                jsonText.show(Json.mapper().writeValueAsString(spec) + "\n");
            }
        } catch (IOException e) {
            jsonProblem.setText(e.getMessage());
        }
        List<Problem> found = validator.validate(spec, workspace);
        problems.setAll(found);
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        model.nodes().forEach(n -> byNode.put(n.id(), new ArrayList<>()));
        for (Problem problem : found) {
            nodeOf(problem, spec).ifPresent(id -> byNode.get(id).add(problem.message() + " — " + problem.fix()));
        }
        byNode.forEach((id, list) -> canvas.decorate(id, canvas.decoration(id).withProblems(list)));
        params.refresh(selectedNode().orElse(null));
    }

    private Optional<String> nodeOf(Problem problem, PipelineSpec spec) {
        Matcher node = NODE_PATH.matcher(problem.path());
        if (node.find()) {
            int i = Integer.parseInt(node.group(1));
            return i < spec.nodes().size() ? Optional.of(spec.nodes().get(i).id()) : Optional.empty();
        }
        Matcher edge = EDGE_PATH.matcher(problem.path());
        if (edge.find()) {
            int j = Integer.parseInt(edge.group(1));
            return j < spec.edges().size() && model.node(spec.edges().get(j).to()).isPresent()
                    ? Optional.of(spec.edges().get(j).to()) : Optional.empty();
        }
        return Optional.empty();
    }

    private Optional<GraphNode> selectedNode() {
        return canvas.selection().size() == 1 ? model.node(canvas.selection().get(0)) : Optional.empty();
    }

    private void showSelected() {
        Optional<GraphNode> node = selectedNode();
        params.show(node.orElse(null), node.flatMap(n -> registry.find(n.type())).orElse(null));
        showPreview();
    }

    private void editParam(String param, JsonNode value) {
        selectedNode().ifPresent(node -> {
            if (!value.equals(node.params().get(param))) {
                commands.run(GraphCommands.setParam(model, node.id(), param, value));
            }
        });
    }

    /** A text edit that parses replaces the graph (one undoable step); one that does not is shown, not applied. */
    private void applyText() {
        try {
            PipelineSpec edited = PipelineSpec.parse(jsonText.getText(), file.toString());
            if (edited.equals(spec())) {
                jsonProblem.setText("");
                return;
            }
            Map<String, double[]> positions = new LinkedHashMap<>();
            model.nodes().forEach(n -> positions.put(n.id(), new double[] {n.x(), n.y()}));
            double nextY = model.nodes().stream().mapToDouble(GraphNode::y).max().orElse(0) + 160;
            for (var node : edited.nodes()) {
                if (!positions.containsKey(node.id())) {
                    positions.put(node.id(), new double[] {40, nextY});
                    nextY += 160;
                }
            }
            PipelineGraphs.Contents contents = PipelineGraphs.toGraph(edited, registry, positions);
            name = edited.name();
            commands.run(GraphCommands.replace(model, contents.nodes(), contents.edges()));
            jsonProblem.setText("");
        } catch (InvalidPipelineException e) {
            jsonProblem.setText(e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).toString());
        }
    }

    private void finished(PipelineRun.Outcome outcome, String what) {
        running.set(false);
        for (StageStats stats : outcome.result().stats()) {
            lastStats.put(stats.nodeId(), stats);
            canvas.decorate(stats.nodeId(), canvas.decoration(stats.nodeId())
                    .withRun(NodeDecoration.RunState.DONE, 1, badge(stats)));
        }
        List<DroppedDocument> dropped = new ArrayList<>(lastDropped);
        dropped.addAll(outcome.dropped());
        lastDropped = List.copyOf(dropped);
        String text = (outcome.result().cached() ? "Cached: " : "Done: ") + "data/" + outcome.result().digest()
                .substring(0, Math.min(12, outcome.result().digest().length())) + "…";
        runSummary.setText(text);
        log.accept(what + ": " + text + " → "
                + workspace.relativize(outcome.result().outputDir()));
        showPreview();
    }

    private void failed(Throwable error, String what) {
        running.set(false);
        String message = error == null ? "Cancelled" : error.getMessage();
        model.nodes().forEach(n -> {
            NodeDecoration d = canvas.decoration(n.id());
            if (d.state() == NodeDecoration.RunState.RUNNING) {
                canvas.decorate(n.id(), d.withRun(NodeDecoration.RunState.FAILED, d.progress(), "failed"));
            } else if (d.state() == NodeDecoration.RunState.WAITING) {
                canvas.decorate(n.id(), d.withRun(NodeDecoration.RunState.IDLE, 0, ""));
            }
        });
        runSummary.setText(message);
        log.accept(what + ": " + message);
    }

    static String badge(StageStats stats) {
        long dropped = stats.dropped().values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%,d in · %,d out%s · %s", stats.in(), stats.out(),
                dropped == 0 ? "" : String.format(Locale.ROOT, " · %,d dropped", dropped), millis(stats.millis()));
    }

    private static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Shows, for the selected node (else every node), its drop reasons and the documents it dropped. */
    private void showPreview() {
        preview.clear();
        if (lastStats.isEmpty()) {
            preview.appendText("Run the pipeline to see what each stage keeps and drops.\n");
            return;
        }
        Optional<String> only = selectedNode().map(GraphNode::id);
        for (StageStats stats : lastStats.values()) {
            if (only.isPresent() && !only.get().equals(stats.nodeId())) {
                continue;
            }
            append(stats.nodeId() + "  ", "preview-node");
            append(badge(stats) + "\n", "preview-stats");
            stats.dropped().forEach((reason, count) ->
                    append(String.format(Locale.ROOT, "  dropped %,d: %s%n", count, reason), "preview-reason"));
            for (DroppedDocument doc : lastDropped) {
                if (doc.nodeId().equals(stats.nodeId())) {
                    append("  ✕ " + doc.location() + " — " + doc.reason() + "\n", "preview-reason");
                    append("    " + doc.text() + "\n", "preview-dropped");
                }
            }
        }
    }

    private void append(String text, String style) {
        int start = preview.getLength();
        preview.appendText(text);
        preview.setStyleClass(start, preview.getLength(), style);
    }

    /** Applies the engine's events to the node badges; runs on the FX thread. */
    private final class RunDisplay implements PipelineListener {
        @Override
        public void onStageStart(String nodeId, String stageId, int index, int total) {
            canvas.decorate(nodeId, canvas.decoration(nodeId).withRun(NodeDecoration.RunState.RUNNING, 0,
                    "running (" + (index + 1) + "/" + total + ")"));
        }

        @Override
        public void onStageProgress(String nodeId, double fraction, String message) {
            canvas.decorate(nodeId, canvas.decoration(nodeId).withRun(NodeDecoration.RunState.RUNNING, fraction,
                    message));
        }

        @Override
        public void onStageWarning(String nodeId, String message) {
            log.accept(nodeId + ": " + message);
        }

        @Override
        public void onStageFinish(StageStats stats) {
            lastStats.put(stats.nodeId(), stats);
            canvas.decorate(stats.nodeId(), canvas.decoration(stats.nodeId())
                    .withRun(NodeDecoration.RunState.DONE, 1, badge(stats)));
            log.accept(stats.nodeId() + ": " + badge(stats));
        }
    }

    private ToolBar toolBar() {
        Button save = button("Save", "Write the pipeline file (Ctrl+S)", () -> {
            try {
                save();
            } catch (IOException e) {
                runSummary.setText("Cannot save: " + e.getMessage());
            }
        });
        List<Button> undoRedo = EditorButtons.undoRedo(commands);
        Button undo = undoRedo.get(0);
        Button redo = undoRedo.get(1);
        Button layout = button("Auto layout", "Arrange the nodes left to right (L)", canvas::autoLayout);
        Button fit = button("Fit", "Zoom to show every node", canvas::zoomToFit);
        Button runButton = button("▶ Run", "Save and run the pipeline", this::run);
        runButton.getStyleClass().add(Styles.SUCCESS);
        runButton.disableProperty().bind(running);
        Button runTo = button("▶ Run to here", "Run only the selected node and the nodes it depends on",
                () -> selectedNode().ifPresent(n -> runTo(n.id())));
        runTo.disableProperty().bind(running.or(Bindings.size(canvas.selection()).isNotEqualTo(1)));
        MenuItem runToItem = new MenuItem("Run to here");
        runToItem.setOnAction(e -> selectedNode().ifPresent(n -> runTo(n.id())));
        runToItem.disableProperty().bind(runTo.disableProperty());
        canvas.setOnContextMenuRequested(e -> {
            new ContextMenu(runToItem).show(canvas, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        Button stop = button("■ Stop", "Cancel the run", this::cancel);
        stop.disableProperty().bind(running.not());
        runSummary.getStyleClass().add("editor-summary");
        Region spacer = new Region();
        javafx.scene.layout.HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar bar = new ToolBar(save, undo, redo, new Separator(Orientation.VERTICAL), layout, fit,
                new Separator(Orientation.VERTICAL), runButton, runTo, stop, spacer, runSummary);
        bar.getStyleClass().add("editor-toolbar");
        return bar;
    }

    private VBox palettePane() {
        Label caption = new Label("Stages");
        caption.getStyleClass().add("pane-caption");
        search.setPromptText("Search stages…");
        search.getStyleClass().add(Styles.SMALL);
        search.textProperty().addListener((obs, old, text) -> {
            String q = text.strip().toLowerCase(Locale.ROOT);
            shownStages.setPredicate(stage -> q.isEmpty() || stage.id().toLowerCase(Locale.ROOT).contains(q)
                    || stage.description().toLowerCase(Locale.ROOT).contains(q));
        });
        palette.getStyleClass().add("stage-palette");
        palette.setCellFactory(list -> new StageCell());
        palette.setFixedCellSize(-1);
        VBox pane = new VBox(caption, search, palette);
        pane.getStyleClass().add("palette-pane");
        VBox.setVgrow(palette, Priority.ALWAYS);
        return pane;
    }

    private TabPane bottomTabs() {
        preview.setEditable(false);
        preview.setWrapText(true);
        preview.getStyleClass().add("preview-area");
        showPreview();
        jsonProblem.getStyleClass().add("json-problem");
        jsonProblem.managedProperty().bind(jsonProblem.textProperty().isNotEmpty());
        jsonProblem.visibleProperty().bind(jsonProblem.textProperty().isNotEmpty());
        BorderPane json = new BorderPane(new VirtualizedScrollPane<>(jsonText));
        json.setBottom(jsonProblem);
        Tab previewTab = new Tab("Preview", new VirtualizedScrollPane<>(preview));
        Tab jsonTab = new Tab("JSON", json);
        TabPane tabs = new TabPane(previewTab, jsonTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("editor-bottom-tabs");
        return tabs;
    }

    /** A palette entry: the stage id and its one-line description; drag it onto the canvas to add a node. */
    private final class StageCell extends ListCell<Stage> {

        StageCell() {
            setOnMousePressed(e -> {
                if (!isEmpty() && e.getButton() == MouseButton.PRIMARY) {
                    setCursor(Cursor.CLOSED_HAND);
                }
            });
            setOnMouseReleased(e -> {
                setCursor(Cursor.DEFAULT);
                if (!isEmpty() && e.getButton() == MouseButton.PRIMARY) {
                    canvas.dropAt(getItem().id(), e.getSceneX(), e.getSceneY());
                }
            });
            setOnMouseClicked(e -> {
                if (!isEmpty() && e.getClickCount() == 2) {
                    javafx.geometry.Bounds b = canvas.localToScene(canvas.getBoundsInLocal());
                    canvas.dropAt(getItem().id(), b.getCenterX(), b.getCenterY());
                }
            });
        }

        @Override
        protected void updateItem(Stage stage, boolean empty) {
            super.updateItem(stage, empty);
            setText(null);
            if (empty || stage == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            Label id = new Label(stage.id());
            id.getStyleClass().add("stage-id");
            Label description = new Label(stage.description());
            description.getStyleClass().add("stage-description");
            description.setWrapText(true);
            description.setMaxWidth(180);
            VBox box = new VBox(2, id, description);
            if (stage instanceof PluginStage fromPlugin) {
                Label plugin = new Label("plugin " + fromPlugin.plugin());
                plugin.getStyleClass().add("stage-plugin");
                box.getChildren().add(1, plugin);
            }
            setGraphic(box);
            setTooltip(new Tooltip(stage.description() + "\nDrag onto the canvas, or double-click, to add"));
        }
    }
}
