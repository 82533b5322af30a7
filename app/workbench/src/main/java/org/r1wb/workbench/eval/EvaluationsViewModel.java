package org.r1wb.workbench.eval;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.workbench.BackgroundTasks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the Evaluations tab shows of a workspace: the results table read from its evaluation store, the
 * sample browser and the metric-over-steps chart fed from it; and evaluations started from here, each
 * {@code r1wb eval} in a child agent process, after which the table is read again. Reads happen in background
 * tasks (their progress is in the status bar); properties change on the FX thread only.
 */
public final class EvaluationsViewModel {

    /** The workspace's evaluation store, as {@code r1wb eval} writes it. */
    public static final String STORE = "r1wb.db";

    private final Path workspace;
    private final Path store;
    private final BackgroundTasks tasks;
    private final LocalRunLauncher launcher;
    private final ObjectProperty<EvaluationJob> evaluation = new SimpleObjectProperty<>(this, "evaluation", null);
    private final StringProperty evaluationOutcome = new SimpleStringProperty(this, "evaluationOutcome", null);
    private final ObjectProperty<ResultsTable> table = new SimpleObjectProperty<>(this, "table",
            ResultsTable.empty());
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading", false);
    private final BooleanProperty loaded = new SimpleBooleanProperty(this, "loaded", false);
    private final StringProperty problem = new SimpleStringProperty(this, "problem", null);
    private final SampleBrowserModel samples;
    private final MetricTrendModel trend = new MetricTrendModel();
    private Task<ResultsTable> pending;

    /** A view model whose evaluations start child agents with {@code launcher}. */
    public EvaluationsViewModel(Path workspace, BackgroundTasks tasks, LocalRunLauncher launcher) {
        this.workspace = workspace;
        this.store = workspace.resolve(STORE);
        this.tasks = tasks;
        this.launcher = launcher;
        this.samples = new SampleBrowserModel(workspace, store, tasks);
    }

    /** Reads the checkpoints and their stored results again (a read still running is cancelled); call on the FX thread. */
    public Task<ResultsTable> reload() {
        if (pending != null) {
            pending.cancel();
        }
        Task<ResultsTable> read = new Task<>() {
            @Override
            protected ResultsTable call() throws Exception {
                updateMessage("Reading evaluation results");
                updateProgress(-1, 1);
                List<EvaluatedCheckpoint> checkpoints = CheckpointCatalog.scan(workspace);
                // opening would create an empty store: a workspace never evaluated has nothing to read
                if (!Files.isRegularFile(store)) {
                    return ResultsTable.empty();
                }
                try (EvalCache cache = EvalCache.open(store)) {
                    return ResultsTable.read(cache, checkpoints);
                }
            }
        };
        read.setOnSucceeded(e -> {
            if (pending != read) {
                return;
            }
            ResultsTable now = read.getValue();
            table.set(now);
            problem.set(null);
            samples.offer(now);
            trend.offer(now);
            loading.set(false);
            loaded.set(true);
        });
        read.setOnFailed(e -> {
            if (pending != read) {
                return;
            }
            Throwable cause = read.getException();
            problem.set(cause.getMessage() == null ? cause.toString() : cause.getMessage());
            loading.set(false);
            loaded.set(true);
        });
        pending = read;
        loading.set(true);
        return tasks.submit(read);
    }

    /**
     * Starts {@code r1wb eval} for {@code request} in a child agent (one at a time: a running one is cancelled
     * first); when it ends, however it ends, the table is read again. Call on the FX thread.
     */
    public EvaluationJob evaluate(EvaluationRequest request) {
        EvaluationJob running = evaluation.get();
        if (running != null && !running.isDone()) {
            running.cancel();
        }
        EvaluationJob job = new EvaluationJob(workspace, launcher, request);
        job.setOnSucceeded(e -> finished(job, "Evaluated " + label(request) + " on " + request.suite()));
        job.setOnCancelled(e -> finished(job, "Evaluation of " + label(request) + " cancelled; the answers so far "
                + "are stored and a rerun resumes from them"));
        job.setOnFailed(e -> finished(job, "Evaluation of " + label(request) + " failed: " + job.getException().getMessage()));
        evaluation.set(job);
        evaluationOutcome.set(null);
        tasks.submit(job);
        return job;
    }

    /** Cancels the running evaluation, if any. */
    public void cancelEvaluation() {
        EvaluationJob running = evaluation.get();
        if (running != null) {
            running.cancel();
        }
    }

    private void finished(EvaluationJob job, String outcome) {
        if (evaluation.get() == job) {
            evaluation.set(null);
            evaluationOutcome.set(outcome);
        }
        reload();
    }

    private static String label(EvaluationRequest request) {
        Path folder = request.checkpoint();
        return folder.getParent() == null || folder.getParent().getParent() == null ? folder.toString()
                : folder.getParent().getParent().getFileName() + "/" + folder.getFileName();
    }

    /** The evaluation running now, or {@code null}. */
    public ObjectProperty<EvaluationJob> evaluationProperty() {
        return evaluation;
    }

    /** How the last evaluation ended, or {@code null} while one runs or before any. */
    public StringProperty evaluationOutcomeProperty() {
        return evaluationOutcome;
    }

    /** The workspace folder. */
    public Path workspace() {
        return workspace;
    }

    /** The evaluation store read. */
    public Path store() {
        return store;
    }

    /** The results table last read. */
    public ObjectProperty<ResultsTable> tableProperty() {
        return table;
    }

    /** Whether a read is running. */
    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** Whether a read has finished at least once (with results or a problem). */
    public BooleanProperty loadedProperty() {
        return loaded;
    }

    /** Why there is nothing to show, or {@code null}. */
    public StringProperty problemProperty() {
        return problem;
    }

    /** The sample browser's state. */
    public SampleBrowserModel samples() {
        return samples;
    }

    /** The metric-over-steps chart's state. */
    public MetricTrendModel trend() {
        return trend;
    }
}
