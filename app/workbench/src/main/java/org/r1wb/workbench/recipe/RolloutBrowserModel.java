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
import org.r1wb.model.recipe.grpo.HeldoutEvaluation;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.workbench.BackgroundTasks;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the rollout browser shows of a run folder's {@link Source}: the training rollouts of a GRPO run
 * ({@code rollouts.jsonl}) or the greedy answers of its held-out evaluations ({@code heldout-answers.jsonl}, one
 * completion a prompt). It holds the source's steps, the selected step's prompt groups that pass the filters (text in
 * the prompt, target or a completion; which advantages for rollouts, correct or wrong for held-out answers), and the
 * selected group's completions that pass them; for held-out answers also a summary of the step and which answers
 * changed since the first evaluation. Both files are read in the background.
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

    /** Which file of the run folder is browsed. */
    public enum Source {
        TRAINING("Training rollouts", RolloutLog.FILE), HELDOUT("Held-out answers", HeldoutEvaluation.FILE);

        private final String label;
        private final String file;

        Source(String label, String file) {
            this.label = label;
            this.file = file;
        }

        /** The file's name in a run folder. */
        public String file() {
            return file;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Which held-out answers to show by whether they are correct ({@link #correct}). */
    public enum AnswerFilter {
        ALL("All answers"), CORRECT("Correct answers"), WRONG("Wrong answers");

        private final String label;

        AnswerFilter(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }

        boolean accepts(boolean correct) {
            return this == ALL || (this == CORRECT) == correct;
        }
    }

    /** How a held-out answer compares with the same prompt's answer at the first evaluation. */
    public enum Change {
        SAME(""), TURNED_CORRECT("turned correct"), TURNED_WRONG("turned wrong");

        private final String label;

        Change(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The reward whose score says whether a held-out answer is right; without it, a positive total reward does. */
    static final String ACCURACY = "accuracy";

    private final Path runDir;
    private final BackgroundTasks tasks;
    private final Map<Source, List<RolloutLog.Step>> read = new EnumMap<>(Source.class);
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(this, "source", Source.TRAINING);
    private final BooleanProperty heldoutAvailable = new SimpleBooleanProperty(this, "heldoutAvailable", false);
    private final BooleanProperty trainingAvailable = new SimpleBooleanProperty(this, "trainingAvailable", false);
    private final ObservableList<RolloutLog.Step> steps = FXCollections.observableArrayList();
    private final IntegerProperty stepIndex = new SimpleIntegerProperty(this, "stepIndex", 0);
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ObjectProperty<AdvantageFilter> advantage = new SimpleObjectProperty<>(this, "advantage", AdvantageFilter.ALL);
    private final ObjectProperty<AnswerFilter> answers = new SimpleObjectProperty<>(this, "answers", AnswerFilter.ALL);
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "");
    private final Map<String, Boolean> firstCorrect = new HashMap<>();
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
        answers.addListener((o, was, is) -> refilter());
        source.addListener((o, was, is) -> showSource());
        group.addListener((o, was, is) -> showGroup());
    }

    /**
     * Reads both files again in the background; when it ends the shown source stays if its file has steps (else the
     * other one is shown if its file has) and its last step is selected.
     */
    public Task<Map<Source, List<RolloutLog.Step>>> reload() {
        Task<Map<Source, List<RolloutLog.Step>>> reading = new Task<>() {
            @Override
            protected Map<Source, List<RolloutLog.Step>> call() throws Exception {
                updateMessage("Reading the rollouts of " + runDir.getFileName());
                Map<Source, List<RolloutLog.Step>> all = new EnumMap<>(Source.class);
                for (Source s : Source.values()) {
                    all.put(s, RolloutLog.read(runDir.resolve(s.file())));
                }
                return all;
            }
        };
        reading.setOnSucceeded(e -> {
            read.putAll(reading.getValue());
            trainingAvailable.set(!read.get(Source.TRAINING).isEmpty());
            heldoutAvailable.set(!read.get(Source.HELDOUT).isEmpty());
            Source other = source.get() == Source.TRAINING ? Source.HELDOUT : Source.TRAINING;
            if (read.get(source.get()).isEmpty() && !read.get(other).isEmpty()) {
                source.set(other);
            } else {
                showSource();
            }
            loaded.set(true);
        });
        reading.setOnFailed(e -> {
            problem.set(reading.getException().getMessage());
            loaded.set(true);
        });
        return tasks.submit(reading);
    }

    /** Shows the source's steps as last read, from its last step. */
    private void showSource() {
        List<RolloutLog.Step> shown = read.getOrDefault(source.get(), List.of());
        firstCorrect.clear();
        if (source.get() == Source.HELDOUT && !shown.isEmpty()) {
            for (RolloutLog.Group g : shown.get(0).groups()) {
                firstCorrect.putIfAbsent(key(g), correct(g));
            }
        }
        steps.setAll(shown);
        problem.set(!shown.isEmpty() ? "" : source.get() == Source.TRAINING
                ? "no rollouts yet: " + runDir.resolve(Source.TRAINING.file()) + " is empty or missing"
                : "no held-out answers: " + runDir.resolve(Source.HELDOUT.file()) + " is empty or missing (give the stage"
                + " valData to evaluate on held-out prompts)");
        stepIndex.set(Math.max(0, steps.size() - 1));
        refilter();
    }

    private void refilter() {
        RolloutLog.Group kept = group.get();
        if (steps.isEmpty()) {
            groups.clear();
            summary.set("");
            group.set(null);
            showGroup();
            return;
        }
        RolloutLog.Step step = steps.get(Math.min(stepIndex.get(), steps.size() - 1));
        groups.setAll(step.groups().stream().filter(g -> !visible(g).isEmpty()).toList());
        summary.set(source.get() == Source.HELDOUT ? summary(step) : "");
        group.set(kept != null && groups.contains(kept) ? kept : groups.isEmpty() ? null : groups.get(0));
        showGroup();
    }

    /** "step 40 · 200 prompts · 91 correct · accuracy 0.455 · format 0.910": the mean of each reward over every prompt. */
    private static String summary(RolloutLog.Step step) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        int answered = 0;
        int right = 0;
        for (RolloutLog.Group g : step.groups()) {
            for (RolloutLog.Completion c : g.completions()) {
                answered++;
                c.rewards().forEach((name, score) -> sums.computeIfAbsent(name, n -> new double[1])[0] += score);
            }
            right += correct(g) ? 1 : 0;
        }
        StringBuilder line = new StringBuilder("step " + step.step() + " · " + step.groups().size() + " prompts · "
                + right + " correct");
        for (Map.Entry<String, double[]> sum : sums.entrySet()) {
            line.append(String.format(Locale.ROOT, " · %s %.3f", sum.getKey(), sum.getValue()[0] / answered));
        }
        return line.toString();
    }

    /**
     * Whether a held-out answer is right: its {@code accuracy} score is positive, or without that reward its total
     * reward is.
     */
    public static boolean correct(RolloutLog.Completion answer) {
        Double accuracy = answer.rewards().get(ACCURACY);
        return accuracy != null ? accuracy > 0 : answer.reward() > 0;
    }

    /** Whether a held-out prompt's answer (its group's first completion) is right. */
    public static boolean correct(RolloutLog.Group heldout) {
        return !heldout.completions().isEmpty() && correct(heldout.completions().get(0));
    }

    /** How the held-out prompt's answer compares with its answer at the first evaluation shown. */
    public Change change(RolloutLog.Group heldout) {
        Boolean before = firstCorrect.get(key(heldout));
        boolean now = correct(heldout);
        return before == null || before == now ? Change.SAME : now ? Change.TURNED_CORRECT : Change.TURNED_WRONG;
    }

    /** Prompts are matched across evaluations by their text and target. */
    private static String key(RolloutLog.Group g) {
        return g.prompt() + '\u0000' + g.target();
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
                .filter(c -> source.get() == Source.HELDOUT ? answers.get().accepts(correct(c))
                        : advantage.get().accepts(c.advantage()))
                .filter(c -> promptMatches || c.text().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
    }

    /** The run folder. */
    public Path runDir() {
        return runDir;
    }

    /** Which file is browsed. */
    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    /** True when the run folder has training rollouts (as last read). */
    public BooleanProperty trainingAvailableProperty() {
        return trainingAvailable;
    }

    /** True when the run folder has held-out answers (as last read). */
    public BooleanProperty heldoutAvailableProperty() {
        return heldoutAvailable;
    }

    /** Every step of the browsed file, in order. */
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

    /** Which training completions to show by advantage. */
    public ObjectProperty<AdvantageFilter> advantageProperty() {
        return advantage;
    }

    /** Which held-out answers to show: all, the correct or the wrong ones. */
    public ObjectProperty<AnswerFilter> answersProperty() {
        return answers;
    }

    /** For held-out answers, the shown step's evaluation in one line; empty for training rollouts. */
    public StringProperty summaryProperty() {
        return summary;
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
