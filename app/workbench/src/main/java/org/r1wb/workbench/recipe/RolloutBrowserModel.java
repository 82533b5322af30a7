package org.r1wb.workbench.recipe;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.workbench.BackgroundTasks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the rollout browser shows of a GRPO run's {@code rollouts.jsonl}: the steps, the selected step's prompt
 * groups that pass the filters (text in the prompt, target or a completion; which advantages), and the selected
 * group's completions that pass them. The file is read in the background.
 */
public final class RolloutBrowserModel {

    /** Which completions to show by their advantage. */
    public enum AdvantageFilter {
        ALL("All completions"), REINFORCED("Reinforced (advantage > 0)"), DISCOURAGED("Discouraged (advantage < 0)");

        private final String label;

        AdvantageFilter(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }

        boolean accepts(double advantage) {
            return this == ALL || (this == REINFORCED ? advantage > 0 : advantage < 0);
        }
    }

    private final Path runDir;
    private final BackgroundTasks tasks;
    private final ObservableList<RolloutLog.Step> steps = FXCollections.observableArrayList();
    private final IntegerProperty stepIndex = new SimpleIntegerProperty(this, "stepIndex", 0);
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ObjectProperty<AdvantageFilter> advantage = new SimpleObjectProperty<>(this, "advantage", AdvantageFilter.ALL);
    private final ObservableList<RolloutLog.Group> groups = FXCollections.observableArrayList();
    private final ObjectProperty<RolloutLog.Group> group = new SimpleObjectProperty<>(this, "group");
    private final ObservableList<RolloutLog.Completion> completions = FXCollections.observableArrayList();
    private final StringProperty problem = new SimpleStringProperty(this, "problem", "");
    private final BooleanProperty loaded = new SimpleBooleanProperty(this, "loaded", false);

    public RolloutBrowserModel(Path runDir, BackgroundTasks tasks) {
        this.runDir = runDir;
        this.tasks = tasks;
        stepIndex.addListener((o, was, is) -> refilter());
        text.addListener((o, was, is) -> refilter());
        advantage.addListener((o, was, is) -> refilter());
        group.addListener((o, was, is) -> showGroup());
    }

    /** Reads the file again in the background; the last step is selected when it ends. */
    public Task<List<RolloutLog.Step>> reload() {
        Task<List<RolloutLog.Step>> read = new Task<>() {
            @Override
            protected List<RolloutLog.Step> call() throws Exception {
                updateMessage("Reading the rollouts of " + runDir.getFileName());
                return RolloutLog.read(runDir.resolve(RolloutLog.FILE));
            }
        };
        read.setOnSucceeded(e -> {
            steps.setAll(read.getValue());
            problem.set(steps.isEmpty() ? "no rollouts yet: " + runDir.resolve(RolloutLog.FILE) + " is empty or missing" : "");
            stepIndex.set(Math.max(0, steps.size() - 1));
            refilter();
            loaded.set(true);
        });
        read.setOnFailed(e -> {
            problem.set(read.getException().getMessage());
            loaded.set(true);
        });
        return tasks.submit(read);
    }

    private void refilter() {
        RolloutLog.Group kept = group.get();
        if (steps.isEmpty()) {
            groups.clear();
            return;
        }
        RolloutLog.Step step = steps.get(Math.min(stepIndex.get(), steps.size() - 1));
        groups.setAll(step.groups().stream().filter(g -> !visible(g).isEmpty()).toList());
        group.set(kept != null && groups.contains(kept) ? kept : groups.isEmpty() ? null : groups.get(0));
        showGroup();
    }

    private void showGroup() {
        completions.setAll(group.get() == null ? List.of() : visible(group.get()));
    }

    /** The group's completions that pass the filters; all of them when the text matches the prompt or target. */
    private List<RolloutLog.Completion> visible(RolloutLog.Group g) {
        String needle = text.get().strip().toLowerCase(Locale.ROOT);
        boolean promptMatches = needle.isEmpty() || g.prompt().toLowerCase(Locale.ROOT).contains(needle)
                || (g.target() != null && g.target().toLowerCase(Locale.ROOT).contains(needle));
        return g.completions().stream()
                .filter(c -> advantage.get().accepts(c.advantage()))
                .filter(c -> promptMatches || c.text().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
    }

    /** The run folder. */
    public Path runDir() {
        return runDir;
    }

    /** Every step of the file, in order. */
    public ObservableList<RolloutLog.Step> steps() {
        return steps;
    }

    /** Index into {@link #steps()} of the step shown. */
    public IntegerProperty stepIndexProperty() {
        return stepIndex;
    }

    /** Text that a prompt, its target or a completion must contain (case-insensitive). */
    public StringProperty textProperty() {
        return text;
    }

    /** Which completions to show by advantage. */
    public ObjectProperty<AdvantageFilter> advantageProperty() {
        return advantage;
    }

    /** The shown step's groups that have a completion passing the filters. */
    public ObservableList<RolloutLog.Group> groups() {
        return groups;
    }

    /** The group whose completions are shown. */
    public ObjectProperty<RolloutLog.Group> groupProperty() {
        return group;
    }

    /** The selected group's completions passing the filters. */
    public ObservableList<RolloutLog.Completion> completions() {
        return completions;
    }

    /** Why there is nothing to show, or empty. */
    public StringProperty problemProperty() {
        return problem;
    }

    /** True once the file was read (or failed to be). */
    public BooleanProperty loadedProperty() {
        return loaded;
    }
}
