package org.r1wb.views.chart;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * A line chart of one or more {@link MetricSeries} against a shared x axis (training step, usually).
 *
 * <p>Series keep all their points; the chart draws at most {@link #maxDrawnPointsProperty()} of each
 * (min-max decimated, see {@link Decimation}) and creates no node per point for line series, so a
 * long run stays cheap to show. Updates are coalesced: many appends between two pulses cost one redraw.
 */
public class MetricChart extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "metric-chart";
    /** Style class of the label shown while no series has a point. */
    public static final String EMPTY_STYLE_CLASS = "metric-chart-empty";
    /** Default drawing budget per series. */
    public static final int DEFAULT_MAX_DRAWN_POINTS = 2000;

    private final ObservableList<MetricSeries> series = FXCollections.observableArrayList();
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StringProperty xAxisLabel = new SimpleStringProperty(this, "xAxisLabel", "step");
    private final StringProperty yAxisLabel = new SimpleStringProperty(this, "yAxisLabel", "");
    private final StringProperty emptyText = new SimpleStringProperty(this, "emptyText", "No data yet");
    private final IntegerProperty maxDrawnPoints =
            new SimpleIntegerProperty(this, "maxDrawnPoints", DEFAULT_MAX_DRAWN_POINTS);

    public MetricChart() {
        getStyleClass().add(STYLE_CLASS);
    }

    /** The series shown, in legend order. */
    public ObservableList<MetricSeries> getSeries() {
        return series;
    }

    public StringProperty titleProperty() {
        return title;
    }

    public StringProperty xAxisLabelProperty() {
        return xAxisLabel;
    }

    public StringProperty yAxisLabelProperty() {
        return yAxisLabel;
    }

    /** The text shown in place of the plot while no series holds a point. */
    public StringProperty emptyTextProperty() {
        return emptyText;
    }

    /** The most points drawn per series (at least 4); all points are kept regardless. */
    public IntegerProperty maxDrawnPointsProperty() {
        return maxDrawnPoints;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new MetricChartSkin(this);
    }

    @Override
    public String getUserAgentStylesheet() {
        return MetricChart.class.getResource("metric-chart.css").toExternalForm();
    }
}
