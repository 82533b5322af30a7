package org.r1wb.views.chart;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * A line chart of one or more {@link MetricSeries} against a shared x axis (training step, usually), drawn
 * on a {@code Canvas}.
 *
 * <p>Series keep all their points; the chart draws each decimated to the pixel columns of the plot
 * ({@link PixelDecimation}), so a million points cost what a few thousand do. Updates are coalesced: any
 * number of appends between two pulses cost one redraw, and nothing is redrawn without a change.
 * The user can hover for a read-out, zoom (wheel, drag a box, {@code +}/{@code -}), pan (right- or
 * shift-drag) and reset the view (double-click, {@code 0}).
 */
public class MetricChart extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "metric-chart";
    /** Style class of the label shown while no series has a point. */
    public static final String EMPTY_STYLE_CLASS = "metric-chart-empty";
    /** Default drawing budget per series. */
    public static final int DEFAULT_MAX_DRAWN_POINTS = 16_000;
    /** The largest smoothing weight accepted. */
    public static final double MAX_SMOOTHING = 0.999;

    private final ObservableList<MetricSeries> series = FXCollections.observableArrayList();
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StringProperty xAxisLabel = new SimpleStringProperty(this, "xAxisLabel", "step");
    private final StringProperty yAxisLabel = new SimpleStringProperty(this, "yAxisLabel", "");
    private final StringProperty emptyText = new SimpleStringProperty(this, "emptyText", "No data yet");
    private final IntegerProperty maxDrawnPoints =
            new SimpleIntegerProperty(this, "maxDrawnPoints", DEFAULT_MAX_DRAWN_POINTS);
    private final BooleanProperty logScale = new SimpleBooleanProperty(this, "logScale", false);
    private final DoubleProperty smoothing = new SimpleDoubleProperty(this, "smoothing", 0);

    public MetricChart() {
        getStyleClass().add(STYLE_CLASS);
        // keys zoom and reset the view
        setFocusTraversable(true);
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

    /**
     * The most points drawn per series (at least 4): up to four per pixel column, so a budget under four
     * times the plot width draws fewer, wider columns. All points are kept regardless.
     */
    public IntegerProperty maxDrawnPointsProperty() {
        return maxDrawnPoints;
    }

    /**
     * Whether the y axis is logarithmic. Values &lt;= 0 have no place on it: they are not drawn, and the
     * chart says how many it left out.
     */
    public BooleanProperty logScaleProperty() {
        return logScale;
    }

    /**
     * The weight of an exponential moving average drawn over each series, 0 (off) to {@link #MAX_SMOOTHING};
     * the raw line stays visible, faded. On a log scale the average is taken over the logarithms.
     */
    public DoubleProperty smoothingProperty() {
        return smoothing;
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
