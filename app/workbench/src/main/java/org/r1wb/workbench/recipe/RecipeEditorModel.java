package org.r1wb.workbench.recipe;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.ScheduledService;
import javafx.concurrent.Task;
import javafx.util.Duration;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.recipe.RecipeValidator;
import org.r1wb.model.recipe.Recipes;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.views.command.Command;
import org.r1wb.views.command.CommandStack;
import org.r1wb.workbench.BackgroundTasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the recipe editor shows and does, without JavaFX controls: the recipe being edited (every edit an undoable
 * command), its validation problems, the selected stage, each stage's {@link StageStatus} read off the FX thread, and
 * runs of the recipe or of one stage in a child agent ({@link RecipeAgentRun}), during which the statuses are read
 * again every second. Stage runs live where {@code r1wb recipe run} puts them: {@code runs/<recipe name>} beside the
 * file.
 */
public final class RecipeEditorModel {

    private static final Duration REFRESH = Duration.seconds(1);

    private final Path file;
    private final Path folder;
    private final Path workspace;
    private final BackgroundTasks tasks;
    private final LocalRunLauncher launcher;
    private final CommandStack commands = new CommandStack();
    private final ObjectProperty<Recipe> recipe = new SimpleObjectProperty<>(this, "recipe");
    private final ObservableList<SpecProblem> problems = FXCollections.observableArrayList();
    private final IntegerProperty selected = new SimpleIntegerProperty(this, "selected", -1);
    private final ReadOnlyObjectWrapper<Map<String, StageStatus>> statuses =
            new ReadOnlyObjectWrapper<>(this, "statuses", Map.of());
    private final ReadOnlyObjectWrapper<Set<String>> withRollouts =
            new ReadOnlyObjectWrapper<>(this, "withRollouts", Set.of());
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final ScheduledService<Snapshot> refresher;
    private StageStatusReader reader;
    private Consumer<String> log = line -> { };
    private RecipeAgentRun run;
    private String runOnly;

    /** What one read of the runs folder found. */
    private record Snapshot(Map<String, StageStatus> statuses, Set<String> withRollouts) {
    }

    /** The editor model of {@code file}, in {@code workspace}; reads the file now (it is small). */
    public RecipeEditorModel(Path file, Path workspace, BackgroundTasks tasks, LocalRunLauncher launcher) {
        this.file = file;
        this.folder = file.toAbsolutePath().getParent();
        this.workspace = workspace;
        this.tasks = tasks;
        this.launcher = launcher;
        commands.addListener(() -> dirty.set(commands.dirty()));
        recipe.addListener((o, was, is) -> {
            validate();
            if (was == null || is == null || !Objects.equals(was.name(), is.name())) {
                reader = null;
            }
        });
        refresher = new ScheduledService<>() {
            @Override
            protected Task<Snapshot> createTask() {
                return readTask();
            }
        };
        refresher.setPeriod(REFRESH);
        refresher.setOnSucceeded(e -> show(refresher.getValue()));
        load();
    }

    /** Reads the file again, dropping the edits and their history; a file that cannot be read leaves a message. */
    public void load() {
        try {
            recipe.set(Recipes.load(file));
            message.set("");
        } catch (IOException e) {
            message.set(e.getMessage());
        }
        commands.markSaved();
    }

    /** Writes the recipe file atomically. */
    public void save() throws IOException {
        Recipes.save(recipe.get(), file);
        commands.markSaved();
    }

    public Path file() {
        return file;
    }

    /** The folder of the stages' runs: {@code runs/<recipe name>} beside the file, as the CLI's default. */
    public Path runs() {
        String name = recipe.get() == null || recipe.get().name() == null || recipe.get().name().isBlank()
                ? "recipe" : recipe.get().name();
        return folder.resolve("runs").resolve(name);
    }

    /** The recipe's event journal, every stage's events in one file, as {@code r1wb recipe run} writes it. */
    public Path journal() {
        return runs().resolve("events.jsonl");
    }

    /** The runs folder as the tool bar names it: relative to the workspace when it lies inside it. */
    public Path runsShown() {
        Path runs = runs().toAbsolutePath().normalize();
        Path root = workspace.toAbsolutePath().normalize();
        return runs.startsWith(root) ? root.relativize(runs) : runs;
    }

    /** The recipe as edited (not necessarily saved); {@code null} when the file could not be read. */
    public ReadOnlyObjectProperty<Recipe> recipeProperty() {
        return recipe;
    }

    public Recipe recipe() {
        return recipe.get();
    }

    public CommandStack commands() {
        return commands;
    }

    /** Every validation problem of the recipe as edited. */
    public ObservableList<SpecProblem> problems() {
        return problems;
    }

    /** The problems of stage {@code index} ({@code stages[i]…}). */
    public List<SpecProblem> problemsOf(int index) {
        String prefix = "stages[" + index + "]";
        return problems.stream().filter(p -> p.path().equals(prefix) || p.path().startsWith(prefix + ".")).toList();
    }

    /** The problems of the recipe as a whole (name, model, no stages). */
    public List<SpecProblem> recipeProblems() {
        return problems.stream().filter(p -> !p.path().startsWith("stages[")).toList();
    }

    /** The index of the selected stage, -1 for none. */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    /** The selected stage, if any. */
    public Optional<RecipeStage> selectedStage() {
        int i = selected.get();
        return recipe.get() == null || i < 0 || i >= recipe.get().stages().size() ? Optional.empty()
                : Optional.of(recipe.get().stages().get(i));
    }

    /** Each stage's status by name, as last read. */
    public ReadOnlyObjectProperty<Map<String, StageStatus>> statusesProperty() {
        return statuses.getReadOnlyProperty();
    }

    /** The names of the stages whose run folder holds GRPO rollouts, as last read. */
    public ReadOnlyObjectProperty<Set<String>> withRolloutsProperty() {
        return withRollouts.getReadOnlyProperty();
    }

    /** Whether an agent is running this recipe now. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Whether the recipe differs from the file. */
    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    /** A line for the tool bar: why the file cannot be read, or how the last run ended. */
    public StringProperty messageProperty() {
        return message;
    }

    /** Where the agent's lines and run notes go (the Console tool window). */
    public void setLog(Consumer<String> log) {
        this.log = log;
    }

    /** The run folder of stage {@code name}. */
    public Path runDir(String name) {
        return runs().resolve(name);
    }

    // ---- edits: each an undoable command replacing the recipe ----

    /** Sets stage {@code index}'s steps. */
    public void setSteps(int index, int steps) {
        edit(index, "steps", s -> copy(s, steps, s.batchSize(), s.optimizer(), s.skip()));
    }

    /** Sets stage {@code index}'s batch size. */
    public void setBatchSize(int index, int batchSize) {
        edit(index, "batchSize", s -> copy(s, s.steps(), batchSize, s.optimizer(), s.skip()));
    }

    /** Sets stage {@code index}'s peak learning rate (a stage without an optimizer is left as it is). */
    public void setLr(int index, double lr) {
        edit(index, "lr", s -> {
            OptimizerSpec o = s.optimizer();
            return o == null ? s : copy(s, s.steps(), s.batchSize(), new OptimizerSpec(lr, o.minLr(), o.weightDecay(),
                    o.beta1(), o.beta2(), o.warmupSteps(), o.gradClip()), s.skip());
        });
    }

    /** Marks stage {@code index} skipped, or not. */
    public void setSkipped(int index, boolean skipped) {
        edit(index, skipped ? "skip" : "unskip", s -> copy(s, s.steps(), s.batchSize(), s.optimizer(),
                skipped ? Boolean.TRUE : null));
    }

    private void edit(int index, String what, UnaryOperator<RecipeStage> change) {
        Recipe before = recipe.get();
        if (before == null || index < 0 || index >= before.stages().size()) {
            return;
        }
        RecipeStage stage = before.stages().get(index);
        RecipeStage changed = change.apply(stage);
        if (changed.equals(stage)) {
            return;
        }
        List<RecipeStage> stages = new ArrayList<>(before.stages());
        stages.set(index, changed);
        Recipe after = new Recipe(before.name(), before.model(), before.seed(), stages);
        commands.run(new Command() {
            @Override
            public String label() {
                return what + " of " + stage.name();
            }

            @Override
            public void execute() {
                recipe.set(after);
            }

            @Override
            public void undo() {
                recipe.set(before);
            }
        });
    }

    private static RecipeStage copy(RecipeStage s, Integer steps, Integer batchSize, OptimizerSpec optimizer,
                                    Boolean skip) {
        return new RecipeStage(s.kind(), s.name(), s.input(), s.data(), steps, batchSize, s.seqLen(), optimizer, skip,
                s.params());
    }

    private void validate() {
        problems.setAll(recipe.get() == null ? List.of() : RecipeValidator.validate(recipe.get(), folder));
    }

    // ---- statuses and runs ----

    /** Reads every stage's status again in the background. */
    public Task<?> refresh() {
        Task<Snapshot> read = readTask();
        read.setOnSucceeded(e -> show(read.getValue()));
        read.setOnFailed(e -> message.set(read.getException().getMessage()));
        return tasks.submit(read);
    }

    private Task<Snapshot> readTask() {
        Recipe current = recipe.get();
        if (reader == null) {
            reader = new StageStatusReader(runs());
        }
        StageStatusReader using = reader;
        boolean agent = running.get();
        String only = runOnly;
        return new Task<>() {
            @Override
            protected Snapshot call() throws IOException {
                if (current == null) {
                    return new Snapshot(Map.of(), Set.of());
                }
                Map<String, StageStatus> read = using.read(current, folder, agent, only);
                Set<String> rollouts = new TreeSet<>();
                for (RecipeStage stage : current.stages()) {
                    if (Files.isRegularFile(using.runDir(stage.name()).resolve(RolloutLog.FILE))) {
                        rollouts.add(stage.name());
                    }
                }
                return new Snapshot(new LinkedHashMap<>(read), rollouts);
            }
        };
    }

    private void show(Snapshot snapshot) {
        statuses.set(Map.copyOf(snapshot.statuses()));
        withRollouts.set(Set.copyOf(snapshot.withRollouts()));
    }

    /** Saves, then runs every stage in a child agent; empty when a run is going on, or the file cannot be saved. */
    public Optional<Task<Integer>> runRecipe() {
        return start(null);
    }

    /** Saves, then runs stage {@code name} alone in a child agent (its input must exist). */
    public Optional<Task<Integer>> runStage(String name) {
        return start(name);
    }

    /** Stops the agent's run: the running stage checkpoints, and a later run resumes it. */
    public void cancel() {
        if (run != null) {
            run.cancel();
        }
    }

    private Optional<Task<Integer>> start(String only) {
        if (running.get() || recipe.get() == null) {
            return Optional.empty();
        }
        try {
            save();
        } catch (IOException e) {
            message.set("Cannot save " + file.getFileName() + ": " + e.getMessage());
            return Optional.empty();
        }
        String what = "recipe " + file.getFileName() + (only == null ? "" : " stage " + only);
        RecipeAgentRun started = new RecipeAgentRun(workspace, file, runs(), only, launcher, log);
        run = started;
        runOnly = only;
        running.set(true);
        message.set("Running " + (only == null ? "the recipe" : only) + " in the agent…");
        log.accept(what + ": started: r1wb " + String.join(" ", started.args()));
        started.setOnSucceeded(e -> ended(what, started.getValue() == 0 ? "finished" : "ended with exit code "
                + started.getValue()));
        started.setOnFailed(e -> ended(what, "failed: " + started.getException().getMessage()));
        started.setOnCancelled(e -> ended(what, "cancelled"));
        refresher.restart();
        return Optional.of(tasks.submit(started));
    }

    private void ended(String what, String how) {
        refresher.cancel();
        running.set(false);
        runOnly = null;
        message.set(what + " " + how);
        log.accept(what + ": " + how);
        refresh();
    }
}
