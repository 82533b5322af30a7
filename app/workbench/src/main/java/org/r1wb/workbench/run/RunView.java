package org.r1wb.workbench.run;

import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.r1wb.views.chart.MetricChart;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The editor tab of a run: a header with its state and latest numbers, and the loss chart.
 * Everything shown is bound to a {@link RunViewModel}; the view holds no state of its own.
 */
public final class RunView extends BorderPane {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "run-view";
    private static final String NONE = "—";

    private final RunViewModel viewModel;
    private final MetricChart lossChart = new MetricChart();

    public RunView(RunViewModel viewModel) {
        this.viewModel = viewModel;
        getStyleClass().add(STYLE_CLASS);

        lossChart.titleProperty().set("Loss");
        lossChart.xAxisLabelProperty().set("step");
        lossChart.yAxisLabelProperty().set("loss");
        lossChart.emptyTextProperty().bind(Bindings.when(viewModel.loadedProperty())
                .then("No metric events yet").otherwise("Reading the journal…"));
        lossChart.getSeries().addAll(viewModel.lossSeries(), viewModel.valLossSeries());

        setTop(header());
        setCenter(lossChart);
        BorderPane.setMargin(lossChart, new Insets(4, 8, 8, 8));
    }

    public RunViewModel viewModel() {
        return viewModel;
    }

    /** The loss chart (train loss and validation loss against step). */
    public MetricChart lossChart() {
        return lossChart;
    }

    private VBox header() {
        Label title = new Label(viewModel.runId());
        title.getStyleClass().add("run-title");

        Label state = new Label();
        state.getStyleClass().add("run-state");
        state.textProperty().bind(Bindings.createStringBinding(
                () -> viewModel.stateProperty().get().wireName(), viewModel.stateProperty()));
        viewModel.stateProperty().addListener((obs, old, now) -> styleState(state, now));
        styleState(state, viewModel.stateProperty().get());

        Label stage = new Label();
        stage.getStyleClass().add("run-stage");
        stage.textProperty().bind(viewModel.stageProperty());
        stage.visibleProperty().bind(viewModel.stageProperty().isNotEmpty());
        stage.managedProperty().bind(stage.visibleProperty());

        Label message = new Label();
        message.getStyleClass().add("run-message");
        message.textProperty().bind(viewModel.messageProperty());
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);

        HBox titleRow = new HBox(10, title, state, stage, message);
        titleRow.setAlignment(Pos.BASELINE_LEFT);

        HBox stats = new HBox(28,
                stat("Step", text(() -> {
                    long step = viewModel.stepProperty().get();
                    return step < 0 ? NONE : String.format(Locale.ROOT, "%,d", step);
                }, viewModel.stepProperty())),
                stat("Loss", decimal(viewModel.lossProperty(), "%.4f")),
                stat("Val loss", decimal(viewModel.valLossProperty(), "%.4f")),
                stat("Learning rate", decimal(viewModel.learningRateProperty(), "%.2e")),
                stat("Tokens / s", decimal(viewModel.tokensPerSecondProperty(), "%,.0f")),
                stat("Checkpoints", text(() -> Integer.toString(viewModel.checkpointsProperty().get()),
                        viewModel.checkpointsProperty())));
        stats.setAlignment(Pos.CENTER_LEFT);

        Label problem = new Label();
        problem.getStyleClass().add("run-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(viewModel.problemProperty());
        problem.visibleProperty().bind(viewModel.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());

        VBox header = new VBox(10, titleRow, stats, problem);
        header.getStyleClass().add("run-header");
        return header;
    }

    private static VBox stat(String name, ObservableValue<String> value) {
        Label caption = new Label(name.toUpperCase(Locale.ROOT));
        caption.getStyleClass().add("stat-caption");
        Label number = new Label();
        number.getStyleClass().add("stat-value");
        number.textProperty().bind(value);
        return new VBox(2, caption, number);
    }

    private static ObservableValue<String> decimal(DoubleProperty property, String format) {
        return text(() -> {
            double value = property.get();
            return Double.isNaN(value) ? NONE : String.format(Locale.ROOT, format, value);
        }, property);
    }

    private static ObservableValue<String> text(Callable<String> format, Observable dependency) {
        return Bindings.createStringBinding(format, dependency);
    }

    private static void styleState(Label label, RunState state) {
        label.getStyleClass().removeIf(c -> c.startsWith("run-state-"));
        label.getStyleClass().add("run-state-" + state.wireName());
    }
}
