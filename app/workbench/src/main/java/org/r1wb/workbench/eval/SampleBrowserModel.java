package org.r1wb.workbench.eval;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.concurrent.Task;
import org.r1wb.model.eval.SampleRecord;
import org.r1wb.workbench.BackgroundTasks;

import java.nio.file.Path;
import java.util.List;

/**
 * The sample browser's state: which task and checkpoint, their per-document records (rebuilt from the
 * store by {@link SampleReplay} in a background task), the filter, the search text and the selected
 * sample. Change it on the FX thread only.
 */
public final class SampleBrowserModel {

    private final Path workspace;
    private final Path store;
    private final BackgroundTasks tasks;
    private final ObservableList<String> taskChoices = FXCollections.observableArrayList();
    private final ObservableList<EvaluatedCheckpoint> checkpointChoices = FXCollections.observableArrayList();
    private final ObjectProperty<String> task = new SimpleObjectProperty<>(this, "task");
    private final ObjectProperty<EvaluatedCheckpoint> checkpoint = new SimpleObjectProperty<>(this, "checkpoint");
    private final ObservableList<SampleRecord> samples = FXCollections.observableArrayList();
    private final FilteredList<SampleRecord> visible = new FilteredList<>(samples);
    private final ObjectProperty<SampleFilter> filter = new SimpleObjectProperty<>(this, "filter", SampleFilter.ALL);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObjectProperty<SampleRecord> selected = new SimpleObjectProperty<>(this, "selected");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading", false);
    private final StringProperty problem = new SimpleStringProperty(this, "problem", null);
    private Task<List<SampleRecord>> pending;

    SampleBrowserModel(Path workspace, Path store, BackgroundTasks tasks) {
        this.workspace = workspace;
        this.store = store;
        this.tasks = tasks;
        filter.addListener((obs, old, now) -> refilter());
        search.addListener((obs, old, now) -> refilter());
        task.addListener((obs, old, now) -> load());
        checkpoint.addListener((obs, old, now) -> load());
    }

    /** Offers the tasks and checkpoints of a freshly read table, keeping the current choice where it still exists. */
    void offer(ResultsTable table) {
        taskChoices.setAll(table.tasks());
        checkpointChoices.setAll(table.columns());
        if (task.get() == null || !taskChoices.contains(task.get())) {
            task.set(taskChoices.isEmpty() ? null : taskChoices.get(0));
        }
        EvaluatedCheckpoint current = checkpoint.get();
        if (current == null || !checkpointChoices.contains(current)) {
            checkpoint.set(checkpointChoices.isEmpty() ? null : checkpointChoices.get(checkpointChoices.size() - 1));
        }
    }

    /** Shows {@code taskName} on {@code at}. */
    public void show(String taskName, EvaluatedCheckpoint at) {
        checkpoint.set(at);
        task.set(taskName);
    }

    private void load() {
        if (pending != null) {
            pending.cancel();
        }
        samples.clear();
        selected.set(null);
        problem.set(null);
        String taskName = task.get();
        EvaluatedCheckpoint at = checkpoint.get();
        if (taskName == null || at == null) {
            loading.set(false);
            return;
        }
        Task<List<SampleRecord>> replay = new Task<>() {
            @Override
            protected List<SampleRecord> call() throws Exception {
                updateMessage("Scoring the stored answers of " + taskName + " on " + at.label());
                updateProgress(-1, 1);
                return SampleReplay.samples(workspace, store, at, taskName);
            }
        };
        replay.setOnSucceeded(e -> {
            if (pending == replay) {
                samples.setAll(replay.getValue());
                loading.set(false);
            }
        });
        replay.setOnFailed(e -> {
            if (pending == replay) {
                Throwable cause = replay.getException();
                problem.set(cause.getMessage() == null ? cause.toString() : cause.getMessage());
                loading.set(false);
            }
        });
        pending = replay;
        loading.set(true);
        tasks.submit(replay);
    }

    private void refilter() {
        SampleFilter kept = filter.get();
        String text = search.get();
        visible.setPredicate(sample -> kept.accepts(sample, text));
        if (selected.get() != null && !visible.contains(selected.get())) {
            selected.set(null);
        }
    }

    /** The tasks the table has results for. */
    public ObservableList<String> taskChoices() {
        return taskChoices;
    }

    /** The checkpoints the table has results for. */
    public ObservableList<EvaluatedCheckpoint> checkpointChoices() {
        return checkpointChoices;
    }

    /** The task shown. */
    public ObjectProperty<String> taskProperty() {
        return task;
    }

    /** The checkpoint whose answers are shown. */
    public ObjectProperty<EvaluatedCheckpoint> checkpointProperty() {
        return checkpoint;
    }

    /** Every record of the chosen task and checkpoint. */
    public ObservableList<SampleRecord> samples() {
        return samples;
    }

    /** The records the filter and the search keep, in document order. */
    public ObservableList<SampleRecord> visibleSamples() {
        return visible;
    }

    /** All, correct or wrong samples. */
    public ObjectProperty<SampleFilter> filterProperty() {
        return filter;
    }

    /** Text the shown samples contain (case-insensitive); blank keeps all. */
    public StringProperty searchProperty() {
        return search;
    }

    /** The sample whose full prompt and output the detail pane shows. */
    public ObjectProperty<SampleRecord> selectedProperty() {
        return selected;
    }

    /** Whether the records are being rebuilt. */
    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** Why the samples cannot be shown, or {@code null}. */
    public ObservableValue<String> problemProperty() {
        return problem;
    }

    /** How many of the records count as right. */
    public long correctCount() {
        return samples.stream().filter(s -> Boolean.TRUE.equals(s.correct())).count();
    }
}
