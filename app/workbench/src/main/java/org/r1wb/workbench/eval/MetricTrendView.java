package org.r1wb.workbench.eval;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.r1wb.model.eval.MetricDirection;
import org.r1wb.views.chart.MetricChart;

import java.util.Locale;

/**
 * One metric of one task across a run's checkpoints, by training step, with a band of one standard error
 * either side. Bound to a {@link MetricTrendModel}.
 */
public final class MetricTrendView extends BorderPane {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "eval-trend";

    private final MetricChart chart = new MetricChart();

    public MetricTrendView(MetricTrendModel model) {
        getStyleClass().add(STYLE_CLASS);
        ComboBox<String> run = new ComboBox<>(model.runChoices());
        run.setId("eval-trend-run");
        run.valueProperty().bindBidirectional(model.runProperty());
        run.setPrefWidth(170);
        ComboBox<MetricTrendModel.TaskMetric> metric = new ComboBox<>(model.metricChoices());
        metric.setId("eval-trend-metric");
        metric.valueProperty().bindBidirectional(model.metricProperty());
        metric.setPrefWidth(260);
        Label direction = new Label();
        direction.getStyleClass().add("eval-count");
        direction.textProperty().bind(Bindings.createStringBinding(() -> model.metricProperty().get() == null ? ""
                : MetricDirection.of(model.metricProperty().get().metric()) == MetricDirection.LOWER_IS_BETTER
                ? "lower is better" : "higher is better", model.metricProperty()));
        HBox bar = new HBox(8, caption("Run"), run, caption("Metric"), metric, direction);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("eval-toolbar");

        chart.setId("eval-trend-chart");
        chart.titleProperty().bind(Bindings.createStringBinding(() -> model.metricProperty().get() == null ? ""
                : model.metricProperty().get() + " over training steps", model.metricProperty()));
        chart.xAxisLabelProperty().set("step");
        chart.yAxisLabelProperty().bind(Bindings.createStringBinding(() -> model.metricProperty().get() == null ? ""
                : model.metricProperty().get().metric(), model.metricProperty()));
        chart.emptyTextProperty().set("No evaluated checkpoint of this run has this metric");
        chart.getSeries().add(model.series());
        chart.getSeries().addAll(model.band());
        setTop(bar);
        setCenter(chart);
        BorderPane.setMargin(chart, new Insets(4, 8, 8, 8));
    }

    /** The chart (value by step, and the standard-error band). */
    public MetricChart chart() {
        return chart;
    }

    private static Label caption(String text) {
        Label label = new Label(text.toUpperCase(Locale.ROOT));
        label.getStyleClass().add("stat-caption");
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }
}
