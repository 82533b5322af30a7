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
import javafx.scene.Node;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.concurrent.Task;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.RunFolder;
import org.r1wb.model.recipe.StageKind;
import org.r1wb.model.recipe.grpo.HeldoutEvaluation;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.palette.CommandPalette;
import org.r1wb.views.palette.PaletteEntry;
import org.r1wb.workbench.action.Action;
import org.r1wb.workbench.action.ActionRegistry;
import org.r1wb.workbench.action.DoubleShift;
import org.r1wb.workbench.pipeline.StageParamSheet;
import org.r1wb.workbench.plugin.PluginManagerModel;
import org.r1wb.workbench.plugin.PluginManagerView;
import org.r1wb.workbench.properties.PropertiesView;
import org.r1wb.workbench.state.WorkbenchState;
import org.r1wb.workbench.state.WorkbenchStateStore;
import org.r1wb.workbench.welcome.WelcomeView;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.workbench.recipe.RecipeEditor;
import org.r1wb.workbench.recipe.RecipeEditorModel;
import org.r1wb.workbench.recipe.RolloutBrowserModel;
import org.r1wb.workbench.recipe.RolloutBrowserView;
import org.r1wb.workbench.recipe.StageCurvesModel;
import org.r1wb.workbench.recipe.StageCurvesView;
import org.r1wb.workbench.run.NodePrompts;
import org.r1wb.workbench.run.PipelineJobDialog;
import org.r1wb.workbench.run.PipelineJobRequest;
import org.r1wb.workbench.run.RemoteFollowers;
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
import org.r1wb.workbench.inspect.ProbeCapturer;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The main window: menu bar, tool bar, project tree on the left, editor tabs in the middle and the
 * status bar at the bottom. Opens workspace entries as tabs, one tab per file or run. Above it float search
 * everywhere (Ctrl+Shift+A or Ctrl+K) and, with no workspace open, the welcome screen. With a
 * {@link WorkbenchStateStore} it restores its layout, theme, recent workspaces and open tabs, and saves them when it
 * closes.
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
    private final Map<Tab, RolloutBrowserView> rolloutViews = new LinkedHashMap<>();
    private final Map<Path, Tab> curveTabs = new LinkedHashMap<>();
    private final Map<Tab, StageCurvesView> curveViews = new LinkedHashMap<>();
    private final ToggleGroup themes = new ToggleGroup();
    private final StageRegistry stages = StageRegistry.builtIn();
    private final ToolWindows toolWindows = new ToolWindows(this::open);
    private final LocalRunLauncher launcher = new LocalRunLauncher(List.of("-Xmx2g",
            // two cores are shared with the workbench: leave one to the UI
            "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
    private final ActionRegistry actions = new ActionRegistry();
    private final CommandPalette palette = new CommandPalette();
    private final PropertiesView properties = new PropertiesView(tasks, this::toggleProperties);
    private final WelcomeView welcome;
    private final WorkbenchStateStore store;
    private final SplitPane split;
    private final SplitPane middle;
    private final SplitDock toolDock;
    private final SplitDock propertiesDock;
    private WorkbenchState state;
    private Theme theme = Theme.LIGHT;
    private boolean restoreTabs = true;
    private Path sampleLocation = Path.of(System.getProperty("user.home"), "r1wb-sample");
    private ListChangeListener<Object> problemSource;
    private javafx.collections.ObservableList<?> followedProblems;
    private final Scene scene;
    private WorkspaceItem workspace;
    private Stage pluginWindow;
    private PluginManagerView pluginManager;

    /** A window that remembers nothing between starts (the tests' default). */
    public WorkbenchWindow(Stage stage) {
        this(stage, null);
    }

    /**
     * A window laid out as {@code store} remembers it (defaults when {@code null} or unreadable); it saves its state
     * there when it closes.
     */
    public WorkbenchWindow(Stage stage, WorkbenchStateStore store) {
        this.stage = stage;
        this.store = store;
        this.state = store == null ? WorkbenchState.defaults() : store.load();
        registerActions();
        welcome = new WelcomeView(this::openOrComplain, this::chooseWorkspace, this::openSample,
                shortcutOf("file.open"), shortcutOf("file.open-sample"), shortcutOf("view.search"));
        welcome.setRecent(state.recentWorkspaces());
        welcome.setVisible(false);
        palette.setSource(this::searchEntries);

        tree.setOnOpen(this::open);
        tree.getSelectionModel().selectedItemProperty().addListener((obs, old, selected) -> {
            if (selected != null) {
                properties.show(selected.getValue());
            }
        });
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
        middle = new SplitPane(editorPane(), toolWindows);
        middle.setOrientation(Orientation.VERTICAL);
        middle.setDividerPositions(state.toolWindowsDivider());
        editors.getSelectionModel().selectedItemProperty().addListener((obs, old, tab) -> {
            followProblems(tab);
            showNodeProperties(tab);
        });
        split = new SplitPane(projectPane(), middle, properties);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(state.projectDivider(), state.propertiesDivider());
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        toolDock = new SplitDock(middle, toolWindows, state.toolWindowsDivider());
        propertiesDock = new SplitDock(split, properties, state.propertiesDivider());
        toolDock.setCollapsed(state.toolWindowsCollapsed());
        propertiesDock.setCollapsed(state.propertiesCollapsed());
        root.setCenter(split);
        root.setBottom(statusBar);

        WorkbenchState.WindowBounds bounds = usable(state.window());
        // laid out first at the remembered size, so the dividers keep the shares they were saved with
        scene = new Scene(new StackPane(root, welcome, palette), bounds == null ? DEFAULT_WIDTH : bounds.width(),
                bounds == null ? DEFAULT_HEIGHT : bounds.height());
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        actions.installExtraShortcuts(scene);
        DoubleShift.install(scene, palette::open);
        setTheme(Theme.named(state.theme()));
        applyBounds(bounds);
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
        boolean restore = restoreTabs && Objects.equals(state.lastWorkspace(), scanned.path().toAbsolutePath().toString());
        restoreTabs = false;
        List<String> reopen = state.openFiles();
        String front = state.selectedFile();
        workspace = scanned;
        welcome.setVisible(false);
        state = captureState().withRecent(scanned.path().toAbsolutePath().toString());
        welcome.setRecent(state.recentWorkspaces());
        tree.show(scanned);
        toolWindows.showRuns(scanned.children().stream().flatMap(g -> g.children().stream())
                .filter(i -> i.kind() == ItemKind.RUN).toList());
        stage.setTitle(scanned.label() + " — R1 Workbench");
        statusBar.workspaceTextProperty().set(dir.toAbsolutePath().toString());
        statusBar.notice(Files.isRegularFile(dir.resolve(MARKER))
                ? "Workspace opened" : "No " + MARKER + " in this folder: create one with `r1wb demo`");
        if (restore) {
            reopenTabs(reopen, front);
        }
        followRemoteRuns(scanned.path());
    }

    /** Re-attaches, off the FX thread, to the workspace's remote runs that went on while no follower ran. */
    private void followRemoteRuns(Path dir) {
        RemoteFollowers followers = new RemoteFollowers(dir, launcher, knownHosts());
        Task<List<RunFolder>> resume = new Task<>() {
            @Override
            protected List<RunFolder> call() throws IOException {
                updateMessage("Re-attaching to remote runs");
                return followers.resume();
            }
        };
        resume.setOnSucceeded(e -> resume.getValue().forEach(run ->
                toolWindows.log("run " + run.id() + ": following it on its node again")));
        resume.setOnFailed(e -> toolWindows.log("remote runs not re-attached: " + resume.getException().getMessage()));
        tasks.submit(resume);
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
            InspectorView inspector = new InspectorView(monitor.inspection(), monitor.comparison(),
                    new ProbeCapturer(item.path(), launcher, monitor.inspection()));
            inspector.getTabs().add(0, new Tab("Overview", view));
            inspector.getSelectionModel().select(0);
            if (Files.isRegularFile(item.path().resolve(RolloutLog.FILE))
                    || Files.isRegularFile(item.path().resolve(HeldoutEvaluation.FILE))) {
                RolloutBrowserView rollouts = new RolloutBrowserView(new RolloutBrowserModel(item.path(), tasks));
                inspector.getTabs().add(new Tab("Rollouts", rollouts));
                rolloutViews.put(tab, rollouts);
                rollouts.model().reload();
            }
            tab.setContent(inspector);
            monitors.put(tab, monitor);
            runViews.put(tab, view);
            monitor.start(tasks);
        } else if (item.kind() == ItemKind.PIPELINE) {
            PipelineEditor editor = new PipelineEditor(item.path(), workspace.path(), stages, tasks);
            editor.setLog(toolWindows::log);
            // the node's parameters live in the Properties window, not a second sheet inside the editor
            editor.detachParams();
            editor.canvas().selection().addListener((ListChangeListener<String>) change -> showNodeProperties(tab));
            tab.setContent(editor);
        } else if (item.kind() == ItemKind.MODEL) {
            tab.setContent(new ModelEditor(item.path()));
        } else if (item.kind() == ItemKind.RECIPE) {
            tab.setContent(recipeEditor(item.path()));
        } else if (item.kind() == ItemKind.EVALUATIONS) {
            tab.setText("Evaluations");
            EvaluationsViewModel results = new EvaluationsViewModel(workspace.path(), tasks, launcher);
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

    /** A recipe's chain editor; its runs go through a child agent, its grpo stages open on the rollout browser. */
    private RecipeEditor recipeEditor(Path file) {
        RecipeEditorModel model = new RecipeEditorModel(file, workspace.path(), tasks, launcher);
        model.setLog(toolWindows::log);
        RecipeEditor editor = new RecipeEditor(model);
        editor.setOnOpenRollouts(stageName -> openRollouts(model.runDir(stageName)));
        editor.setOnOpenCurves(stageName -> openStageCurves(model, stageName));
        return editor;
    }

    /**
     * Opens (or selects) the live curves of stage {@code stageName} of the recipe {@code recipe} edits: the stage's
     * metrics from the recipe's journal, followed while the tab is open; empty when the recipe has no such stage.
     */
    public Optional<StageCurvesView> openStageCurves(RecipeEditorModel recipe, String stageName) {
        Tab existing = curveTabs.get(recipe.runDir(stageName));
        if (existing != null) {
            editors.getSelectionModel().select(existing);
            return Optional.of(curveViews.get(existing));
        }
        Optional<StageKind> kind = recipe.recipe() == null ? Optional.empty() : recipe.recipe().stages().stream()
                .filter(s -> s.name().equals(stageName)).findFirst().flatMap(s -> StageKind.of(s.kind()));
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        StageCurvesModel curves = new StageCurvesModel(stageName, kind.get());
        StageCurvesView view = new StageCurvesView(curves, recipe.recipe().name());
        curves.follow(recipe.journal());
        Tab tab = new Tab(stageName + " · curves", view);
        tab.setTooltip(new Tooltip("stage " + stageName + " of " + recipe.journal()));
        curveTabs.put(recipe.runDir(stageName), tab);
        curveViews.put(tab, view);
        editors.getTabs().add(tab);
        editors.getSelectionModel().select(tab);
        return Optional.of(view);
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
     * Opens a GRPO run (a folder with {@code rollouts.jsonl} or {@code heldout-answers.jsonl}, also a recipe stage's
     * under {@code runs/<recipe>/}) on its rollout browser; empty when the folder has neither.
     */
    public Optional<RolloutBrowserView> openRollouts(Path runDir) {
        Tab tab = open(WorkspaceItem.leaf(ItemKind.RUN, runDir.getFileName().toString(), "", runDir));
        RolloutBrowserView view = rolloutViews.get(tab);
        if (view != null && tab.getContent() instanceof InspectorView inspector) {
            inspector.getTabs().stream().filter(t -> t.getContent() == view).findFirst()
                    .ifPresent(t -> inspector.getSelectionModel().select(t));
        }
        return Optional.ofNullable(view);
    }

    /** Asks which of the workspace's GRPO runs to browse (none: says so) and opens its rollout browser. */
    private void chooseRollouts() {
        if (workspace == null) {
            return;
        }
        List<Path> runs;
        try (var found = Files.find(workspace.path().resolve("runs"), 3,
                (path, attributes) -> path.getFileName().toString().equals(RolloutLog.FILE)
                        || path.getFileName().toString().equals(HeldoutEvaluation.FILE))) {
            runs = found.map(Path::getParent).distinct().sorted().toList();
        } catch (IOException e) {
            runs = List.of();
        }
        if (runs.isEmpty()) {
            showError("No GRPO runs", "No run under " + workspace.path().resolve("runs") + " has rollouts yet: run a "
                    + "recipe with a grpo stage (r1wb recipe run).");
            return;
        }
        if (runs.size() == 1) {
            openRollouts(runs.get(0));
            return;
        }
        Path root = workspace.path().resolve("runs");
        javafx.scene.control.ChoiceDialog<String> choice = new javafx.scene.control.ChoiceDialog<>(
                root.relativize(runs.get(runs.size() - 1)).toString(), runs.stream().map(r -> root.relativize(r).toString()).toList());
        choice.initOwner(stage);
        choice.setTitle("Rollout Browser");
        choice.setHeaderText("Which GRPO run?");
        choice.showAndWait().ifPresent(picked -> openRollouts(root.resolve(picked)));
    }

    /**
     * Opens (or brings to front) the plugin manager of the open workspace in a window of its own, listing the plugins
     * through a child agent; empty when no workspace is open.
     */
    public Optional<PluginManagerView> openPlugins() {
        if (workspace == null) {
            return Optional.empty();
        }
        if (pluginManager == null || !pluginWindow.isShowing()
                || !pluginManager.model().workspace().equals(workspace.path())) {
            if (pluginWindow != null) {
                pluginWindow.close();
            }
            pluginManager = new PluginManagerView(new PluginManagerModel(workspace.path(), tasks));
            Scene pluginScene = new Scene(pluginManager, 1100, 520);
            pluginScene.getStylesheets().add(Theme.WORKBENCH_CSS);
            pluginWindow = new Stage();
            pluginWindow.initOwner(stage);
            pluginWindow.setTitle("Plugins — " + workspace.path().getFileName());
            pluginWindow.setScene(pluginScene);
            pluginManager.model().refresh();
        }
        pluginWindow.show();
        pluginWindow.toFront();
        return Optional.of(pluginManager);
    }

    /**
     * "Evaluate checkpoint…": the Evaluations tab's dialog, with the newest checkpoint of the run whose tab is
     * selected (if one is) chosen; the evaluation runs in a child agent.
     */
    public void evaluateCheckpoint() {
        Tab selected = editors.getSelectionModel().getSelectedItem();
        Path run = selected != null && monitors.containsKey(selected) ? pathOf(selected) : null;
        openEvaluations().ifPresent(view -> view.openEvaluateDialog(run == null ? null : run.getFileName().toString()));
    }

    /**
     * Writes the run's {@code run.json} and starts its trainer in a child JVM (never in this process); when it has
     * started, the run is listed in the Runs tool window and opened with its live loss chart.
     */
    public Task<RunStarter.Started> launch(RunRequest request) {
        RunTarget.Kind kind = request.target().kind();
        boolean here = kind == RunTarget.Kind.LOCAL || kind == RunTarget.Kind.LOCAL_GPU;
        return startRun("Starting a training run", here ? null : request.target().node(),
                (starter, passphrase) -> starter.start(request, passphrase),
                started -> switch (kind) {
                    case LOCAL -> ": trainer started in child process ";
                    case LOCAL_GPU -> ": PyTorch backend started on this machine's GPU in child process ";
                    default -> " on " + request.target().label() + ": agent child process ";
                });
    }

    /**
     * Submits a pipeline to a Slurm cluster as an array job plus a merge, through a child agent that follows the
     * jobs; the run is listed in the Runs tool window and opened, its state and shard progress live.
     */
    public Task<RunStarter.Started> launchPipelineJob(PipelineJobRequest request) {
        return startRun("Submitting " + request.pipeline() + " to Slurm", request.slurm().node(),
                (starter, passphrase) -> starter.startPipelineJob(request, passphrase),
                started -> ": " + request.shards() + " shard tasks and a merge via " + request.slurm().node()
                        + ", followed by agent child process ");
    }

    /** How a run is started once its node (if any) is checked. */
    private interface RunStart {
        RunStarter.Started start(RunStarter starter, char[] passphrase) throws IOException;
    }

    /**
     * Starts a run in the background: connects to {@code node} first when there is one (an unknown host key and a
     * key's passphrase are put to the user), then lists and opens the run.
     */
    private Task<RunStarter.Started> startRun(String what, String node, RunStart how,
                                              Function<RunStarter.Started, String> logged) {
        RunStarter starter = new RunStarter(workspace.path(), launcher, knownHosts());
        NodePrompts prompts = new NodePrompts(stage);
        Task<RunStarter.Started> start = new Task<>() {
            @Override
            protected RunStarter.Started call() throws IOException {
                char[] passphrase = null;
                if (node != null) {
                    updateMessage("Connecting to " + node);
                    passphrase = starter.checkNode(node, prompts, prompts);
                }
                updateMessage(what);
                return how.start(starter, passphrase);
            }
        };
        start.setOnSucceeded(e -> {
            RunStarter.Started started = start.getValue();
            toolWindows.log("run " + started.run().id() + logged.apply(started) + started.process().pid());
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

    /** Asks where to run a pipeline on Slurm (preselecting the pipeline being edited) and submits it. */
    public void newPipelineJob() {
        if (workspace == null) {
            return;
        }
        Tab tab = editors.getSelectionModel().getSelectedItem();
        Path edited = tab != null && tab.getContent() instanceof PipelineEditor ? pathOf(tab) : null;
        PipelineJobDialog dialog = new PipelineJobDialog(workspace.path(),
                edited == null ? null : workspace.path().relativize(edited).toString());
        dialog.initOwner(stage);
        try {
            dialog.showAndWait().ifPresent(this::launchPipelineJob);
        } catch (IllegalArgumentException e) {
            showError("Cannot submit the pipeline", e.getMessage());
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
                : content instanceof ModelEditor m ? m.problems()
                : content instanceof RecipeEditor r ? r.model().problems() : null;
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
        this.theme = theme;
        theme.apply();
        themes.getToggles().stream()
                .filter(toggle -> toggle.getUserData() == theme)
                .findFirst()
                .ifPresent(themes::selectToggle);
    }

    /** The theme in use. */
    public Theme theme() {
        return theme;
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
        saveState();
        monitors.values().forEach(RunMonitor::close);
        curveViews.values().forEach(StageCurvesView::close);
        tasks.close();
    }

    private void forget(Tab tab) {
        openTabs.values().remove(tab);
        runViews.remove(tab);
        rolloutViews.remove(tab);
        evaluationViews.remove(tab);
        curveTabs.values().remove(tab);
        StageCurvesView curves = curveViews.remove(tab);
        if (curves != null) {
            curves.close();
        }
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
        Menu file = new Menu("File", null, menuItem("file.welcome"), new SeparatorMenuItem(),
                menuItem("file.open"), menuItem("file.open-sample"), menuItem("file.reload"),
                new SeparatorMenuItem(), menuItem("file.quit"));

        Menu themeMenu = new Menu("Theme");
        for (Theme option : Theme.values()) {
            RadioMenuItem item = new RadioMenuItem(option.label());
            item.setUserData(option);
            item.setToggleGroup(themes);
            item.setSelected(option == theme);
            item.setOnAction(event -> setTheme(option));
            themeMenu.getItems().add(item);
        }
        Menu view = new Menu("View", null, menuItem("view.search"), new SeparatorMenuItem(),
                menuItem("view.evaluations"), new SeparatorMenuItem(), menuItem("view.properties"),
                menuItem("view.tool-windows"), new SeparatorMenuItem(), themeMenu);
        Menu run = new Menu("Run", null, menuItem("run.new"), menuItem("run.evaluate"), menuItem("run.slurm-pipeline"),
                new SeparatorMenuItem(), menuItem("run.rollouts"));
        Menu tools = new Menu("Tools", null, menuItem("tools.plugins"));
        Menu help = new Menu("Help", null, menuItem("help.about"));
        return new MenuBar(file, view, run, tools, help);
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
        Button search = toolButton("Search   " + shortcutOf("view.search"),
                "Search everywhere: actions, files and settings", palette::open);
        search.getStyleClass().add("search-button");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar bar = new ToolBar(open, reload, new Separator(Orientation.VERTICAL), train, evaluations,
                new Separator(Orientation.VERTICAL), theme, spacer, search);
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

    // ---- actions, search everywhere, welcome, properties and remembered state ----

    /** Every action; the menus and search everywhere both read it. */
    public ActionRegistry actions() {
        return actions;
    }

    /** Search everywhere. */
    public CommandPalette palette() {
        return palette;
    }

    /** The welcome screen (visible while no workspace is open, or from File ▸ Welcome). */
    public WelcomeView welcome() {
        return welcome;
    }

    /** The right-hand Properties tool window. */
    public PropertiesView properties() {
        return properties;
    }

    /** Shows the welcome screen over the window. */
    public void showWelcome() {
        welcome.setRecent(state.recentWorkspaces());
        welcome.setVisible(true);
        welcome.toFront();
        palette.toFront();
        welcome.recentList().requestFocus();
    }

    /** Where "Open Sample Workspace" writes the sample (default {@code ~/r1wb-sample}). */
    public void setSampleLocation(Path folder) {
        sampleLocation = folder;
    }

    /** Whether the bottom tool windows (Runs, Console, Problems) are hidden. */
    public boolean toolWindowsCollapsed() {
        return toolDock.collapsed();
    }

    /** Whether the Properties window is hidden. */
    public boolean propertiesCollapsed() {
        return propertiesDock.collapsed();
    }

    public void setToolWindowsCollapsed(boolean collapsed) {
        toolDock.setCollapsed(collapsed);
    }

    public void setPropertiesCollapsed(boolean collapsed) {
        propertiesDock.setCollapsed(collapsed);
    }

    /** The layout, theme, recent workspaces and open tabs as they are now: what {@link #close()} saves. */
    public WorkbenchState captureState() {
        List<String> files = new ArrayList<>();
        String selected = null;
        for (Tab tab : editors.getTabs()) {
            Path path = pathOf(tab);
            if (path != null) {
                files.add(path.toAbsolutePath().toString());
                selected = tab == editors.getSelectionModel().getSelectedItem() ? files.get(files.size() - 1)
                        : selected;
            }
        }
        WorkbenchState.WindowBounds bounds = Double.isNaN(stage.getWidth()) ? state.window()
                : new WorkbenchState.WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                        stage.isMaximized());
        return new WorkbenchState(state.recentWorkspaces(), bounds, split.getDividerPositions()[0],
                propertiesDock.position(), toolDock.position(), propertiesDock.collapsed(), toolDock.collapsed(),
                theme.name(), files, selected);
    }

    private void registerActions() {
        actions.register(Action.of("file.welcome", "Welcome", "File", this::showWelcome));
        actions.register(Action.of("file.open", "Open Workspace…", "File", this::chooseWorkspace, "Shortcut+O"));
        actions.register(Action.of("file.open-sample", "Open Sample Workspace", "File", this::openSample,
                "Shortcut+Shift+O"));
        actions.register(Action.of("file.reload", "Reload", "File", this::reload, "F5"));
        actions.register(Action.of("file.quit", "Quit", "File", Platform::exit, "Shortcut+Q"));
        actions.register(Action.of("view.search", "Search Everywhere…", "View", palette::open,
                "Shortcut+Shift+A", "Shortcut+K"));
        actions.register(Action.of("view.evaluations", "Evaluations", "View", this::openEvaluations,
                "Shortcut+Shift+E"));
        actions.register(Action.of("view.properties", "Properties Window", "View", this::toggleProperties, "Alt+7"));
        actions.register(Action.of("view.tool-windows", "Tool Windows (Runs, Console, Problems)", "View",
                this::toggleToolWindows, "Alt+4"));
        actions.register(Action.of("run.new", "New Training Run…", "Run", this::newRun, "Shortcut+Shift+R"));
        actions.register(Action.of("run.evaluate", "Evaluate Checkpoint…", "Run", this::evaluateCheckpoint));
        actions.register(Action.of("run.slurm-pipeline", "Run Pipeline on Slurm…", "Run", this::newPipelineJob));
        actions.register(Action.of("run.rollouts", "Rollout Browser…", "Run", this::chooseRollouts));
        actions.register(Action.of("tools.plugins", "Plugins…", "Tools", this::openPlugins));
        actions.register(Action.of("help.about", "About R1 Workbench", "Help", this::showAbout));
    }

    private MenuItem menuItem(String id) {
        return actions.menuItem(id);
    }

    private String shortcutOf(String id) {
        return actions.find(id).map(action -> action.shortcuts().isEmpty() ? ""
                : action.shortcuts().get(0).getDisplayText()).orElse("");
    }

    private void toggleProperties() {
        propertiesDock.toggle();
    }

    private void toggleToolWindows() {
        toolDock.toggle();
    }

    /** What search everywhere lists: every action, then every workspace file, then the settings. */
    private List<PaletteEntry> searchEntries() {
        List<PaletteEntry> entries = new ArrayList<>();
        for (Action action : actions.all()) {
            if (!action.id().equals("view.search")) {
                entries.add(new PaletteEntry("Action", action.label().replace("…", ""), action.menu(),
                        action.shortcutText(), () -> paletteBadge("A", "kind-action"), action.run()));
            }
        }
        if (workspace != null) {
            collectFiles(workspace, entries);
        }
        for (Theme option : Theme.values()) {
            entries.add(new PaletteEntry("Setting", "Theme: " + option.label(),
                    option == theme ? "Appearance · current" : "Appearance", "",
                    () -> paletteBadge("S", "kind-setting"), () -> setTheme(option)));
        }
        return entries;
    }

    private void collectFiles(WorkspaceItem item, List<PaletteEntry> out) {
        if (item.kind().openable()) {
            Path relative = workspace.path().toAbsolutePath().relativize(item.path().toAbsolutePath());
            out.add(new PaletteEntry("File", item.label(), relative.toString(), "",
                    () -> ProjectTree.icon(item.kind()), () -> open(item)));
        }
        item.children().forEach(child -> collectFiles(child, out));
    }

    private static Node paletteBadge(String letter, String style) {
        Label badge = new Label(letter);
        badge.getStyleClass().addAll("kind-badge", style);
        badge.setMinWidth(Region.USE_PREF_SIZE);
        return badge;
    }

    /** Hosts the pipeline editor's parameter sheet in the Properties window while one of its nodes is selected. */
    private void showNodeProperties(Tab tab) {
        if (tab == null || tab != editors.getSelectionModel().getSelectedItem()) {
            return;
        }
        if (tab.getContent() instanceof PipelineEditor editor && !editor.canvas().selection().isEmpty()) {
            StageParamSheet sheet = editor.params();
            properties.host("Node " + sheet.nodeId().orElse(""), sheet);
        } else if (workspace != null && pathOf(tab) != null) {
            // otherwise the file in front, as IntelliJ's context follows the editor
            Map<Path, WorkspaceItem> byPath = new LinkedHashMap<>();
            indexByPath(workspace, byPath);
            Optional.ofNullable(byPath.get(pathOf(tab).toAbsolutePath())).ifPresent(properties::show);
        }
    }

    private void openOrComplain(Path folder) {
        try {
            openWorkspace(folder);
        } catch (IOException e) {
            showError("Cannot open the workspace", e.getMessage());
        }
    }

    /** Writes the bundled sample workspace (unless it is there already) in the background, then opens it. */
    private void openSample() {
        Path folder = sampleLocation;
        Task<Path> write = new Task<>() {
            @Override
            protected Path call() {
                updateMessage("Writing the sample workspace to " + folder);
                return SampleWorkspace.isWorkspace(folder) ? folder : SampleWorkspace.create(folder);
            }
        };
        write.setOnSucceeded(event -> openOrComplain(write.getValue()));
        write.setOnFailed(event -> showError("Cannot write the sample workspace", write.getException().getMessage()));
        tasks.submit(write);
    }

    private void reopenTabs(List<String> files, String selected) {
        Map<Path, WorkspaceItem> byPath = new LinkedHashMap<>();
        indexByPath(workspace, byPath);
        Tab front = null;
        for (String file : files) {
            WorkspaceItem item = byPath.get(Path.of(file));
            if (item != null && item.kind().openable()) {
                Tab tab = open(item);
                front = file.equals(selected) ? tab : front;
            }
        }
        if (front != null) {
            editors.getSelectionModel().select(front);
        }
    }

    private static void indexByPath(WorkspaceItem item, Map<Path, WorkspaceItem> out) {
        out.put(item.path().toAbsolutePath(), item);
        item.children().forEach(child -> indexByPath(child, out));
    }

    private Path pathOf(Tab tab) {
        return openTabs.entrySet().stream().filter(entry -> entry.getValue() == tab).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private static WorkbenchState.WindowBounds usable(WorkbenchState.WindowBounds bounds) {
        return bounds == null || bounds.width() < 200 || bounds.height() < 150 ? null : bounds;
    }

    private void applyBounds(WorkbenchState.WindowBounds bounds) {
        if (bounds == null) {
            return;
        }
        stage.setX(bounds.x());
        stage.setY(bounds.y());
        stage.setWidth(bounds.width());
        stage.setHeight(bounds.height());
        stage.setMaximized(bounds.maximized());
    }

    private void saveState() {
        if (store != null) {
            state = captureState();
            store.save(state);
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
