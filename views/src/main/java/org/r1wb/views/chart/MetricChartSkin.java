package org.r1wb.views.chart;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.collections.ListChangeListener;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.layout.StackPane;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a {@link MetricChart} with a JavaFX {@link LineChart}: one chart series per metric series,
 * decimated to the control's budget, with symbol nodes only for marker-style series.
 */
public class MetricChartSkin extends SkinBase<MetricChart> {

    /** Marker series with more drawn points than this get no markers: a node per point would be too many. */
    private static final int MAX_MARKERS = 400;
    /** About how many intervals the x axis is divided into. */
    private static final int X_TICKS = 8;
    /** Pixels between the last round x tick and the end of the axis. */
    private static final double X_END_ROOM = 28;
    /** The axis width assumed before the first layout has measured it. */
    private static final double ASSUMED_AXIS_WIDTH = 800;

    private final NumberAxis xAxis = new NumberAxis();
    private final NumberAxis yAxis = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
    private final Label emptyLabel = new Label();
    private final Map<MetricSeries, Drawn> drawn = new IdentityHashMap<>();
    private final InvalidationListener pointsChanged = o -> scheduleRedraw();
    private final InvalidationListener budgetChanged = o -> {
        drawn.values().forEach(d -> d.consumed = -1);
        scheduleRedraw();
    };
    private final ListChangeListener<MetricSeries> seriesChanged = c -> rebuild();
    private final InvalidationListener axisResized = o -> fitXAxis();
    private boolean redrawScheduled;
    private boolean disposed;

    /** Where a metric series stands in the chart: its chart series and how much of it is drawn. */
    private static final class Drawn {
        final XYChart.Series<Number, Number> fx = new XYChart.Series<>();
        /** Points of the metric series already turned into chart data; -1 forces a full redraw. */
        int consumed;
        /** True when every point up to {@code consumed} is drawn, so new points can simply be added. */
        boolean complete = true;
        /** Whether the drawn points carry marker nodes. */
        boolean markers;
        /** The series' {@link MetricSeries#generation()} the drawn points come from. */
        long generation;
    }

    public MetricChartSkin(MetricChart control) {
        super(control);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        xAxis.setForceZeroInRange(false);
        yAxis.setForceZeroInRange(false);
        xAxis.setAnimated(false);
        yAxis.setAnimated(false);
        xAxis.setTickLabelFormatter(new RoundTickFormatter(xAxis));
        chart.titleProperty().bind(control.titleProperty());
        xAxis.labelProperty().bind(control.xAxisLabelProperty());
        yAxis.labelProperty().bind(control.yAxisLabelProperty());
        emptyLabel.textProperty().bind(control.emptyTextProperty());
        emptyLabel.getStyleClass().add(MetricChart.EMPTY_STYLE_CLASS);
        emptyLabel.setMouseTransparent(true);

        getChildren().add(new StackPane(chart, emptyLabel));
        control.getSeries().addListener(seriesChanged);
        control.maxDrawnPointsProperty().addListener(budgetChanged);
        xAxis.widthProperty().addListener(axisResized);
        rebuild();
    }

    /** The chart series drawn for {@code series}, or {@code null} when it is not shown (for tests and tooling). */
    public XYChart.Series<Number, Number> chartSeries(MetricSeries series) {
        Drawn d = drawn.get(series);
        return d == null ? null : d.fx;
    }

    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        MetricChart control = getSkinnable();
        control.getSeries().removeListener(seriesChanged);
        control.maxDrawnPointsProperty().removeListener(budgetChanged);
        xAxis.widthProperty().removeListener(axisResized);
        drawn.keySet().forEach(s -> s.removeListener(pointsChanged));
        drawn.clear();
        chart.titleProperty().unbind();
        xAxis.labelProperty().unbind();
        yAxis.labelProperty().unbind();
        emptyLabel.textProperty().unbind();
        super.dispose();
    }

    private void rebuild() {
        drawn.keySet().forEach(s -> s.removeListener(pointsChanged));
        drawn.clear();
        List<XYChart.Series<Number, Number>> all = new ArrayList<>();
        for (MetricSeries series : getSkinnable().getSeries()) {
            Drawn d = new Drawn();
            d.fx.setName(series.name());
            series.addListener(pointsChanged);
            drawn.put(series, d);
            all.add(d.fx);
        }
        chart.getData().setAll(all);
        redraw();
    }

    private void scheduleRedraw() {
        if (!redrawScheduled) {
            redrawScheduled = true;
            Platform.runLater(() -> {
                redrawScheduled = false;
                if (!disposed) {
                    redraw();
                }
            });
        }
    }

    private void redraw() {
        int budget = Math.max(4, getSkinnable().maxDrawnPointsProperty().get());
        boolean anyPoint = false;
        for (Map.Entry<MetricSeries, Drawn> entry : drawn.entrySet()) {
            MetricSeries series = entry.getKey();
            Drawn d = entry.getValue();
            anyPoint |= series.size() > 0;
            if (d.generation != series.generation()) {
                // cleared or replaced since drawn: equal sizes say nothing about equal points
                d.consumed = -1;
                d.generation = series.generation();
            }
            if (d.consumed == series.size()) {
                continue;
            }
            boolean markers = series.style() == MetricSeries.Style.LINE_AND_MARKERS
                    && Math.min(series.size(), budget) <= MAX_MARKERS;
            boolean grewWithinBudget = d.consumed >= 0 && d.consumed < series.size() && series.size() <= budget;
            if (d.complete && grewWithinBudget && markers == d.markers) {
                appendPoints(series, d);
            } else {
                replacePoints(series, d, budget, markers);
            }
        }
        emptyLabel.setVisible(!anyPoint);
        fitXAxis();
    }

    /**
     * Fits the x axis to the data on round ticks. The stock auto-range pads the range, which leaves a
     * misleading stretch of empty steps after the last one.
     */
    private void fitXAxis() {
        double min = Double.NaN;
        double max = Double.NaN;
        for (MetricSeries series : drawn.keySet()) {
            if (series.size() > 0) {
                min = Double.isNaN(min) ? series.minX() : Math.min(min, series.minX());
                max = Double.isNaN(max) ? series.maxX() : Math.max(max, series.maxX());
            }
        }
        if (Double.isNaN(min)) {
            xAxis.setAutoRanging(true);
            return;
        }
        double tick = niceTick(Math.max(max - min, 1) / X_TICKS);
        double lower = Math.floor(min / tick) * tick;
        double upper = Math.max(Math.ceil(max / tick) * tick, lower + tick);
        xAxis.setAutoRanging(false);
        xAxis.setTickUnit(tick);
        xAxis.setLowerBound(lower);
        // Room after the last round tick, so that its label and a marker on the last step are not cut.
        // Without it the axis may also drop that tick altogether: rounding can place a tick at the
        // upper bound a fraction of a pixel past the axis end.
        double width = xAxis.getWidth() > 4 * X_END_ROOM ? xAxis.getWidth() : ASSUMED_AXIS_WIDTH;
        xAxis.setUpperBound(upper + (upper - lower) * X_END_ROOM / (width - X_END_ROOM));
    }

    /** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code raw}. */
    static double niceTick(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double step : new double[] {1, 2, 2.5, 5}) {
            if (step * magnitude >= raw) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private void appendPoints(MetricSeries series, Drawn d) {
        List<XYChart.Data<Number, Number>> added = new ArrayList<>(series.size() - d.consumed);
        for (int i = d.consumed; i < series.size(); i++) {
            if (!Double.isNaN(series.y(i))) {
                added.add(point(series, i, d.markers));
            }
        }
        d.fx.getData().addAll(added);
        d.consumed = series.size();
    }

    private void replacePoints(MetricSeries series, Drawn d, int budget, boolean markers) {
        int[] indices = Decimation.indices(series.ysView(), series.size(), budget);
        List<XYChart.Data<Number, Number>> points = new ArrayList<>(indices.length);
        for (int i : indices) {
            points.add(point(series, i, markers));
        }
        d.fx.getData().setAll(points);
        d.consumed = series.size();
        d.complete = series.size() <= budget;
        d.markers = markers;
    }

    /**
     * Labels only the ticks on a multiple of the tick unit: the axis always adds a tick at its upper
     * bound, which here is the end of the room after the last round tick, not a value worth a label.
     */
    private static final class RoundTickFormatter extends StringConverter<Number> {
        private final NumberAxis axis;
        private final NumberAxis.DefaultFormatter plain;

        RoundTickFormatter(NumberAxis axis) {
            this.axis = axis;
            this.plain = new NumberAxis.DefaultFormatter(axis);
        }

        @Override
        public String toString(Number value) {
            double unit = axis.getTickUnit();
            if (!axis.isAutoRanging() && unit > 0) {
                double units = value.doubleValue() / unit;
                if (Math.abs(units - Math.rint(units)) > 1e-6) {
                    return "";
                }
            }
            return plain.toString(value);
        }

        @Override
        public Number fromString(String text) {
            return plain.fromString(text);
        }
    }

    private static XYChart.Data<Number, Number> point(MetricSeries series, int index, boolean marker) {
        XYChart.Data<Number, Number> data = new XYChart.Data<>(series.x(index), series.y(index));
        if (marker) {
            // LineChart styles a node it is given like its own symbols (chart-line-symbol, seriesN)
            data.setNode(new StackPane());
        }
        return data;
    }
}
