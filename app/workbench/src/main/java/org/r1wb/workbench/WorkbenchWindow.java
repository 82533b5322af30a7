package org.r1wb.workbench;

import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.concurrent.Task;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.workbench.run.NodePrompts;
import org.r1wb.workbench.run.RunLauncherDialog;
import org.r1wb.workbench.run.RunRequest;
import org.r1wb.workbench.run.RunStarter;
import org.r1wb.workbench.run.RunTarget;
import org.r1wb.workbench.editor.FileView;
import org.r1wb.workbench.eval.EvaluationsView;
import org.r1wb.workbench.eval.EvaluationsViewModel;
import org.r1wb.workbench.model.ModelEditor;
import org.r1wb.workbench.pipeline.PipelineEditor;
import org.r1wb.workbench.inspect.InspectorView;
import org.r1wb.workbench.run.RunMonitor;
import org.r1wb.workbench.run.RunView;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.ProjectTree;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.r1wb.workbench.workspace.WorkspaceScanner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The main window: menu bar, tool bar, project tree on the left, editor tabs in the middle and the
 * status bar at the bottom. Opens workspace entries as tabs, one tab per file or run.
 */
public final class WorkbenchWindow {

    public static final double DEFAULT_WIDTH = 1400;
    public static final double DEFAULT_HEIGHT = 860;
    private static final String MARKER = "workspace.json";

    private final Stage stage;
    private final BackgroundTasks tasks = new BackgroundTasks();
    private final ProjectTree tree = new ProjectTree();
    private final TabPane editors = new TabPane();
    private final StatusBar statusBar = new StatusBar(tasks);
    private final Map<Path, Tab> openTabs = new LinkedHashMap<>();
    private final Map<Tab, RunView> runViews = new LinkedHashMap<>();
    private final Map<Tab, RunMonitor> monitors = new LinkedHashMap<>();
    private final Map<Tab, EvaluationsView> evaluationViews = new LinkedHashMap<>();
    private final ToggleGroup themes = new ToggleGroup();
    private final StageRegistry stages = StageRegistry.builtIn();
    private final ToolWindows toolWindows = new ToolWindows(this::open);
    private final LocalRunLauncher launcher = new LocalRunLauncher(List.of("-Xmx2g",
            // two cores are shared with the workbench: leave one to the UI
            "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
    private ListChangeListener<Object> problemSource;
    private javafx.collections.ObservableList<?> followedProblems;
    private final Scene scene;
    private WorkspaceItem workspace;

    public WorkbenchWindow(Stage stage) {
        this.stage = stage;
        Theme.LIGHT.apply();

        tree.setOnOpen(this::open);
        editors.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        editors.getStyleClass().add("editor-tabs");
        // closing by the tab's button, by code or by switching workspace all end here
        editors.getTabs().addListener((ListChangeListener<Tab>) change -> {
            while (change.next()) {
                change.getRemoved().stream().filter(tab -> !editors.getTabs().contains(tab)).forEach(this::forget);
            }
        });

        BorderPane root = new BorderPane();
        root.getStyleClass().add("workbench");
        root.setTop(new VBox(menuBar(), toolBar()));
        SplitPane middle = new SplitPane(editorPane(), toolWindows);
        middle.setOrientation(Orientation.VERTICAL);
        middle.setDividerPositions(0.8);
        SplitPane.setResizableWithParent(toolWindows, false);
        editors.getSelectionModel().selectedItemProperty().addListener((obs, old, tab) -> followProblems(tab));
        SplitPane split = new SplitPane(projectPane(), middle);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.21);
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        root.setCenter(split);
        root.setBottom(statusBar);

        scene = new Scene(root, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        stage.setScene(scene);
        stage.setTitle("R1 Workbench");
        stage.setOnHidden(event -> close());
    }

    /** Shows the window. */
    public void show() {
        stage.show();
    }

    /** Opens the workspace in {@code dir}, replacing the tree and closing the tabs of the previous one. */
    public void openWorkspace(Path dir) throws IOException {
        WorkspaceItem scanned = WorkspaceScanner.scan(dir);
        if (workspace != null && !workspace.path().equals(scanned.path())) {
            editors.getTabs().clear();
        }
        workspace = scanned;
        tree.show(scanned);
        toolWindows.showRuns(scanned.children().stream().flatMap(g -> g.children().stream())
                .filter(i -> i.kind() == ItemKind.RUN).toList());
        stage.setTitle(scanned.label() + " — R1 Workbench");
        statusBar.workspaceTextProperty().set(dir.toAbsolutePath().toString());
        statusBar.notice(Files.isRegularFile(dir.resolve(MARKER))
                ? "Workspace opened" : "No " + MARKER + " in this folder: create one with `r1wb demo`");
    }

    /** Reads the current workspace's folders again. */
    public void reload() {
        if (workspace == null) {
            return;
        }
        try {
            openWorkspace(workspace.path());
            // new checkpoints or results since: the open Evaluations tab reads them again
            evaluationViews.values().forEach(view -> view.viewModel().reload());
            statusBar.notice("Reloaded");
        } catch (IOException e) {
            showError("Cannot reload the workspace", e.getMessage());
        }
    }

    /** Opens (or selects, when already open) the tab of a pipeline, model, run or eval entry. */
    public Tab open(WorkspaceItem item) {
        Tab existing = openTabs.get(item.path());
        if (existing != null) {
            editors.getSelectionModel().select(existing);
            return existing;
        }
        // file names in tabs: "sample" could be the pipeline or the model
        Tab tab = new Tab(item.detail().isEmpty() ? item.label() : item.detail());
        tab.setGraphic(ProjectTree.icon(item.kind()));
        tab.setTooltip(new Tooltip(item.path().toString()));
        if (item.kind() == ItemKind.RUN) {
            RunMonitor monitor = new RunMonitor(item.path());
            RunView view = new RunView(monitor.viewModel());
            // the run's overview first, then its inspector views (dashboard, routing, attention, devices)
            InspectorView inspector = new InspectorView(monitor.inspection());
            inspector.getTabs().add(0, new Tab("Overview", view));
            inspector.getSelectionModel().select(0);
            tab.setContent(inspector);
            monitors.put(tab, monitor);
            runViews.put(tab, view);
            monitor.start(tasks);
        } else if (item.kind() == ItemKind.PIPELINE) {
            PipelineEditor editor = new PipelineEditor(item.path(), workspace.path(), stages, tasks);
            editor.setLog(toolWindows::log);
            tab.setContent(editor);
        } else if (item.kind() == ItemKind.MODEL) {
            tab.setContent(new ModelEditor(item.path()));
        } else if (item.kind() == ItemKind.EVALUATIONS) {
            tab.setText("Evaluations");
            EvaluationsViewModel results = new EvaluationsViewModel(workspace.path(), tasks);
            EvaluationsView view = new EvaluationsView(results);
            tab.setContent(view);
            evaluationViews.put(tab, view);
            results.reload();
        } else {
            tab.setContent(new FileView(item.path(), false, tasks));
        }
        openTabs.put(item.path(), tab);
        editors.getTabs().add(tab);
        editors.getSelectionModel().select(tab);
        return tab;
    }

    /**
     * Opens the run most recently written to (its journal's modification time), as IntelliJ reopens
     * where you left off; empty when the workspace has no run.
     */
    public Optional<RunView> openLatestRun() {
        return workspace == null ? Optional.empty() : workspace.children().stream()
                .flatMap(group -> group.children().stream())
                .filter(item -> item.kind() == ItemKind.RUN)
                .max(java.util.Comparator.comparingLong(WorkbenchWindow::lastWritten))
                .map(item -> runViews.get(open(item)));
    }

    private static long lastWritten(WorkspaceItem run) {
        try {
            Path events = run.path().resolve("events.jsonl");
            return Files.getLastModifiedTime(Files.exists(events) ? events : run.path()).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Opens (or selects) the Evaluations tab: the stored results of the workspace's checkpoints, their samples
     * and a metric over training steps, read in the background; empty when no workspace is open.
     */
    public Optional<EvaluationsView> openEvaluations() {
        if (workspace == null) {
            return Optional.empty();
        }
        Path store = workspace.path().resolve(EvaluationsViewModel.STORE);
        return Optional.ofNullable(evaluationViews.get(open(WorkspaceItem.leaf(ItemKind.EVALUATIONS, "Evaluations",
                "results", store))));
    }

    /**
     * Writes the run's {@code run.json} and starts its trainer in a child JVM (never in this process); when it has
     * started, the run is listed in the Runs tool window and opened with its live loss chart.
     */
    public Task<RunStarter.Started> launch(RunRequest request) {
        RunStarter starter = new RunStarter(workspace.path(), launcher, knownHosts());
        NodePrompts prompts = new NodePrompts(stage);
        Task<RunStarter.Started> start = new Task<>() {
            @Override
            protected RunStarter.Started call() throws IOException {
                char[] passphrase = null;
                if (request.target().kind() != RunTarget.Kind.LOCAL) {
                    updateMessage("Connecting to " + request.target().node());
                    passphrase = starter.checkNode(request.target(), prompts, prompts);
                }
                updateMessage("Starting a training run");
                return starter.start(request, passphrase);
            }
        };
        start.setOnSucceeded(e -> {
            RunStarter.Started started = start.getValue();
            toolWindows.log("run " + started.run().id() + (request.target().kind() == RunTarget.Kind.LOCAL
                    ? ": trainer started in child process " : " on " + request.target().label() + ": agent child process ")
                    + started.process().pid());
            reload();
            toolWindows.selectRuns();
            open(WorkspaceItem.leaf(ItemKind.RUN, started.run().id(), "", started.run().dir()));
        });
        start.setOnFailed(e -> {
            toolWindows.log("run not started: " + start.getException().getMessage());
            showError("Cannot start the run", start.getException().getMessage());
        });
        return tasks.submit(start);
    }

    /**
     * The known_hosts that remote targets are checked against: {@code -Dr1wb.knownHosts} (tests), else the user's
     * {@code ~/.ssh/known_hosts}, so a node OpenSSH already trusts is trusted here too.
     */
    static Path knownHosts() {
        String configured = System.getProperty("r1wb.knownHosts");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** Asks for a run configuration and launches it. */
    public void newRun() {
        if (workspace == null) {
            return;
        }
        RunLauncherDialog dialog = new RunLauncherDialog(workspace.path());
        dialog.initOwner(stage);
        try {
            dialog.showAndWait().ifPresent(this::launch);
        } catch (IllegalArgumentException e) {
            showError("Cannot start the run", e.getMessage());
        }
    }

    /** The bottom tool windows. */
    public ToolWindows toolWindows() {
        return toolWindows;
    }

    /** The background tasks (their progress is in the status bar). */
    public BackgroundTasks tasks() {
        return tasks;
    }

    private void followProblems(Tab tab) {
        if (followedProblems != null) {
            followedProblems.removeListener(problemSource);
        }
        javafx.scene.Node content = tab == null ? null : tab.getContent();
        followedProblems = content instanceof PipelineEditor p ? p.problems()
                : content instanceof ModelEditor m ? m.problems() : null;
        problemSource = change -> toolWindows.problems().setAll(followedProblems.stream().map(Object::toString).toList());
        if (followedProblems == null) {
            toolWindows.problems().clear();
        } else {
            ((javafx.collections.ObservableList<Object>) followedProblems).addListener(problemSource);
            toolWindows.problems().setAll(followedProblems.stream().map(Object::toString).toList());
        }
    }

    /** Switches the theme of the whole application. */
    public void setTheme(Theme theme) {
        theme.apply();
        themes.getToggles().stream()
                .filter(toggle -> toggle.getUserData() == theme)
                .findFirst()
                .ifPresent(themes::selectToggle);
    }

    public Scene scene() {
        return scene;
    }

    public ProjectTree projectTree() {
        return tree;
    }

    public TabPane editors() {
        return editors;
    }

    public StatusBar statusBar() {
        return statusBar;
    }

    /** The run view of an open tab, if the tab shows a run. */
    public Optional<RunView> runView(Tab tab) {
        return Optional.ofNullable(runViews.get(tab));
    }

    /** The monitor behind an open run tab, if the tab shows a run. */
    public Optional<RunMonitor> runMonitor(Tab tab) {
        return Optional.ofNullable(monitors.get(tab));
    }

    /** Stops every tail and background read; the window closes with the application. */
    public void close() {
        monitors.values().forEach(RunMonitor::close);
        tasks.close();
    }

    private void forget(Tab tab) {
        openTabs.values().remove(tab);
        runViews.remove(tab);
        evaluationViews.remove(tab);
        RunMonitor monitor = monitors.remove(tab);
        if (monitor != null) {
            monitor.close();
        }
    }

    private VBox projectPane() {
        Label caption = new Label("Project");
        caption.getStyleClass().add("pane-caption");
        VBox pane = new VBox(caption, tree);
        pane.getStyleClass().add("project-pane");
        VBox.setVgrow(tree, Priority.ALWAYS);
        return pane;
    }

    private StackPane editorPane() {
        Label hint = new Label("Double-click a pipeline, model or run in the project tree to open it");
        hint.getStyleClass().add("editor-hint");
        hint.visibleProperty().bind(Bindings.isEmpty(editors.getTabs()));
        return new StackPane(hint, editors);
    }

    private MenuBar menuBar() {
        MenuItem openWorkspace = new MenuItem("Open Workspace…");
        openWorkspace.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        openWorkspace.setOnAction(event -> chooseWorkspace());
        MenuItem reload = new MenuItem("Reload");
        reload.setAccelerator(KeyCombination.keyCombination("F5"));
        reload.setOnAction(event -> reload());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(event -> Platform.exit());
        Menu file = new Menu("File", null, openWorkspace, reload, new SeparatorMenuItem(), quit);

        Menu themeMenu = new Menu("Theme");
        for (Theme theme : Theme.values()) {
            RadioMenuItem item = new RadioMenuItem(theme.label());
            item.setUserData(theme);
            item.setToggleGroup(themes);
            item.setSelected(theme == Theme.LIGHT);
            item.setOnAction(event -> setTheme(theme));
            themeMenu.getItems().add(item);
        }
        MenuItem evaluations = new MenuItem("Evaluations");
        evaluations.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+E"));
        evaluations.setOnAction(event -> openEvaluations());
        Menu view = new Menu("View", null, evaluations, new SeparatorMenuItem(), themeMenu);

        MenuItem newRun = new MenuItem("New Training Run…");
        newRun.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+R"));
        newRun.setOnAction(event -> newRun());
        Menu run = new Menu("Run", null, newRun);

        MenuItem about = new MenuItem("About R1 Workbench");
        about.setOnAction(event -> showAbout());
        Menu help = new Menu("Help", null, about);
        return new MenuBar(file, view, run, help);
    }

    private ToolBar toolBar() {
        Button open = toolButton("Open…", "Open a workspace folder", this::chooseWorkspace);
        Button reload = toolButton("Reload", "Read the workspace folders again (F5)", this::reload);
        Button theme = toolButton("Light / Dark", "Switch between the light and the dark theme", () ->
                setTheme(themes.getSelectedToggle() != null && themes.getSelectedToggle().getUserData() == Theme.DARK
                        ? Theme.LIGHT : Theme.DARK));
        Button train = toolButton("New Run…", "Train a model on a pipeline's output (Ctrl+Shift+R)", this::newRun);
        Button evaluations = toolButton("Evaluations", "Stored evaluation results side by side, their samples and "
                + "metrics over training steps (Ctrl+Shift+E)", this::openEvaluations);
        ToolBar bar = new ToolBar(open, reload, new Separator(Orientation.VERTICAL), train, evaluations,
                new Separator(Orientation.VERTICAL), theme);
        bar.getStyleClass().add("main-toolbar");
        return bar;
    }

    private static Button toolButton(String text, String tooltip, Runnable action) {
        Button button = new Button(text);
        button.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        button.setTooltip(new Tooltip(tooltip));
        button.setOnAction(event -> action.run());
        return button;
    }

    private void chooseWorkspace() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open Workspace");
        if (workspace != null) {
            chooser.setInitialDirectory(workspace.path().toFile());
        }
        File chosen = chooser.showDialog(stage);
        if (chosen == null) {
            return;
        }
        try {
            openWorkspace(chosen.toPath());
        } catch (IOException e) {
            showError("Cannot open the workspace", e.getMessage());
        }
    }

    private void showAbout() {
        String version = Optional.ofNullable(WorkbenchWindow.class.getPackage().getImplementationVersion())
                .orElse("development build");
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(stage);
        alert.setTitle("About R1 Workbench");
        alert.setHeaderText("R1 Workbench " + version);
        alert.setContentText("A research workbench for DeepSeek-R1-style Mixture-of-Experts language models: "
                + "data pipelines, model graphs, training runs and evaluations in one place.");
        alert.showAndWait();
    }

    private void showError(String header, String detail) {
        statusBar.notice(header);
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(stage);
        alert.setHeaderText(header);
        alert.setContentText(detail);
        alert.show();
    }
}
