package org.r1wb.workbench.eval;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.r1wb.model.eval.task.TaskSpecException;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Evaluations tab of a workspace: a header with what the store holds and the evaluation running (progress,
 * cancel), then the results table, the sample browser and the metric-over-steps chart. Bound to an
 * {@link EvaluationsViewModel}.
 */
public final class EvaluationsView extends BorderPane {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "evaluations-view";

    private final EvaluationsViewModel viewModel;
    private final ResultsTableView results;
    private final SampleBrowserView samples;
    private final MetricTrendView trend;
    private final TabPane pages = new TabPane();
    private final Tab resultsTab;
    private final Tab samplesTab;
    private final Tab trendTab;

    public EvaluationsView(EvaluationsViewModel viewModel) {
        this.viewModel = viewModel;
        getStyleClass().add(STYLE_CLASS);
        results = new ResultsTableView(viewModel.tableProperty());
        results.setId("eval-results-table");
        samples = new SampleBrowserView(viewModel.samples());
        trend = new MetricTrendView(viewModel.trend());
        resultsTab = new Tab("Results", results);
        samplesTab = new Tab("Samples", samples);
        trendTab = new Tab("Over steps", trend);
        pages.getTabs().addAll(resultsTab, samplesTab, trendTab);
        pages.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        pages.getStyleClass().add("eval-pages");
        results.setOnOpenSamples((task, checkpoint) -> {
            viewModel.samples().show(task, checkpoint);
            pages.getSelectionModel().select(samplesTab);
        });
        setTop(header());
        setCenter(pages);
    }

    /** What the view shows. */
    public EvaluationsViewModel viewModel() {
        return viewModel;
    }

    /** The results table page. */
    public ResultsTableView results() {
        return results;
    }

    /** The sample browser page. */
    public SampleBrowserView samples() {
        return samples;
    }

    /** The metric-over-steps page. */
    public MetricTrendView trend() {
        return trend;
    }

    /**
     * "Evaluate checkpoint…": asks which checkpoint (the newest of run {@code run} preselected, any when
     * {@code null}) and suite, then starts the evaluation in a child agent. Call on the FX thread.
     */
    public void openEvaluateDialog(String run) {
        EvaluateDialog dialog;
        try {
            dialog = new EvaluateDialog(CheckpointCatalog.scan(viewModel.workspace()),
                    EvaluateDialog.registry(viewModel.workspace()), run);
        } catch (IOException | UncheckedIOException | TaskSpecException e) {
            viewModel.evaluationOutcomeProperty().set("Cannot evaluate: " + e.getMessage());
            return;
        }
        if (getScene() != null) {
            dialog.initOwner(getScene().getWindow());
        }
        dialog.showAndWait().ifPresent(viewModel::evaluate);
    }

    /** Shows the results table. */
    public void showResults() {
        pages.getSelectionModel().select(resultsTab);
    }

    /** Shows the sample browser. */
    public void showSamples() {
        pages.getSelectionModel().select(samplesTab);
    }

    /** Shows the metric-over-steps chart. */
    public void showTrend() {
        pages.getSelectionModel().select(trendTab);
    }

    private VBox header() {
        Label title = new Label("Evaluations");
        title.getStyleClass().add("run-title");
        Label summary = new Label();
        summary.getStyleClass().add("run-message");
        summary.textProperty().bind(Bindings.createStringBinding(() -> {
            ResultsTable table = viewModel.tableProperty().get();
            if (viewModel.loadingProperty().get() && table.rows().isEmpty()) {
                return "reading " + viewModel.store().getFileName() + "…";
            }
            return table.columns().size() + " checkpoints  ·  " + table.tasks().size() + " tasks  ·  "
                    + table.rows().size() + " metrics  ·  " + viewModel.store().getFileName();
        }, viewModel.tableProperty(), viewModel.loadingProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button reload = new Button("Reload");
        reload.setId("eval-reload");
        reload.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        reload.disableProperty().bind(viewModel.loadingProperty());
        reload.setOnAction(event -> viewModel.reload());
        Button evaluate = new Button("Evaluate…");
        evaluate.setId("eval-evaluate");
        evaluate.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        evaluate.setOnAction(event -> openEvaluateDialog(null));
        HBox titleRow = new HBox(10, title, summary, spacer, evaluate, reload);
        titleRow.setAlignment(Pos.BASELINE_LEFT);

        Label hint = new Label("Best of each row highlighted (↑ higher is better, ↓ lower is better); value ± standard "
                + "error. Double-click a cell to browse its samples.");
        hint.getStyleClass().add("eval-hint");
        Label problem = new Label();
        problem.getStyleClass().add("run-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(viewModel.problemProperty());
        problem.visibleProperty().bind(viewModel.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        VBox header = new VBox(6, titleRow, hint, problem, evaluationRow());
        header.getStyleClass().add("run-header");
        return header;
    }

    /** The running evaluation's progress, message and cancel button; how the last one ended when none runs. */
    private HBox evaluationRow() {
        ProgressBar progress = new ProgressBar();
        progress.setId("eval-progress");
        progress.setPrefWidth(180);
        Label message = new Label();
        message.setId("eval-progress-message");
        message.getStyleClass().add("run-message");
        Button cancel = new Button("Cancel");
        cancel.setId("eval-cancel");
        cancel.getStyleClass().addAll(Styles.FLAT, Styles.SMALL, Styles.DANGER);
        cancel.setOnAction(event -> viewModel.cancelEvaluation());
        HBox row = new HBox(10, progress, message, cancel);
        row.setAlignment(Pos.CENTER_LEFT);
        viewModel.evaluationProperty().addListener((obs, old, job) -> {
            progress.progressProperty().unbind();
            message.textProperty().unbind();
            if (job != null) {
                progress.progressProperty().bind(job.progressProperty());
                message.textProperty().bind(job.messageProperty());
            } else {
                progress.setProgress(0);
                message.textProperty().bind(viewModel.evaluationOutcomeProperty());
            }
        });
        message.textProperty().bind(viewModel.evaluationOutcomeProperty());
        progress.visibleProperty().bind(viewModel.evaluationProperty().isNotNull());
        cancel.visibleProperty().bind(progress.visibleProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        cancel.managedProperty().bind(progress.visibleProperty());
        row.visibleProperty().bind(viewModel.evaluationProperty().isNotNull()
                .or(viewModel.evaluationOutcomeProperty().isNotNull()));
        row.managedProperty().bind(row.visibleProperty());
        return row;
    }
}
