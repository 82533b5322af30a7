package org.r1wb.views.chart;

import javafx.beans.InvalidationListener;
import javafx.collections.ListChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link MetricChart} on one {@link Canvas}: title, legend, axes with round ticks, and each series
 * decimated to the plot's pixel columns. The canvas is redrawn in layout, so any number of changes within
 * a pulse cost one redraw, and only after a change. Hover, zoom and pan are handled here; the crosshair,
 * the zoom box and the read-out are nodes above the canvas, so hovering redraws nothing.
 */
public class MetricChartSkin extends SkinBase<MetricChart> {

    /** Style class of the hover read-out label. */
    public static final String READOUT_STYLE_CLASS = "metric-chart-readout";
    /** Marker series with more points in view than this are drawn without markers. */
    static final int MAX_MARKERS = 400;
    /** Line colours, in series order (repeating). */
    private static final Color[] PALETTE = {
        Color.web("#218bff"), Color.web("#e16d2d"), Color.web("#2ea44f"), Color.web("#8250df"),
        Color.web("#bf3989"), Color.web("#1b7c83"), Color.web("#9a6700"), Color.web("#cf222e"),
        Color.web("#57606a"), Color.web("#0550ae")};
    private static final double RIGHT = 16;
    /** The least room the y tick labels take: the plot is never wider than the width this leaves. */
    private static final double MIN_LEFT = 14;
    private static final double BOTTOM = 38;
    private static final double TICK = 4;
    private static final double X_TICK_SPACING = 90;
    /**
     * Fitted ranges end on a multiple of about 1/50 of their span (at most ~2% left empty), so a growing series
     * keeps its view, and the raster its columns, until it passes the next multiple.
     */
    private static final int QUANTA = 50;
    private static final double Y_TICK_SPACING = 36;
    /** Zoom factor of one wheel notch or one {@code +} key press. */
    private static final double ZOOM_STEP = 0.8;
    /** A dragged box narrower than this (pixels) is a click, not a zoom. */
    private static final double MIN_BOX = 5;
    private static final double RAW_ALPHA_WHEN_SMOOTHED = 0.25;

    private final Canvas canvas = new Canvas();
    private final Line crosshair = new Line();
    private final Rectangle zoomBox = new Rectangle();
    private final Label readout = new Label();
    private final Label emptyLabel = new Label();
    /** Never seen: carries the theme's text colour and font (from CSS) to the canvas text. */
    private final Label textStyle = new Label();
    private final Text measure = new Text();
    private final Map<MetricSeries, DecimatedLine> drawn = new IdentityHashMap<>();
    private final Map<MetricSeries, Decimated> decimations = new IdentityHashMap<>();
    /** Reused from redraw to redraw while the plot keeps its size. */
    private SpanRaster raster;
    /** The column spans of each dense raw line, and of each dense smoothed line, valid for {@link #spanView}. */
    private final Map<MetricSeries, LineSpans> rawSpans = new IdentityHashMap<>();
    private final Map<MetricSeries, LineSpans> smoothedSpans = new IdentityHashMap<>();
    /** The plot geometry the spans and the raster were drawn for. */
    private SpanView spanView;
    /** What the raster holds, in paint order: a redraw that paints the same lines repaints only changed columns. */
    private List<StrokeKey> painted = List.of();
    private final List<MetricSeries> listened = new ArrayList<>();
    private final InvalidationListener changed = o -> invalidate();
    /** A zoomed y range is in the old scale's units: switching scale refits y. */
    private final InvalidationListener scaleChanged = o -> zoomTo(this.xView, null);
    private final EventHandler<KeyEvent> keys = this::keyPressed;
    private final ListChangeListener<MetricSeries> seriesChanged = c -> {
        relisten();
        invalidate();
    };

    /** The x range the user zoomed to, or {@code null} to fit the data. */
    private AxisRange xView;
    /** The y range the user zoomed to, or {@code null} to fit what is in view. */
    private AxisRange yView;
    private AxisRange xShown;
    private AxisRange yShown;
    private double plotLeft;
    private double plotTop;
    private double plotWidth;
    private double plotHeight;
    private double drawnWidth = -1;
    private double drawnHeight = -1;
    private boolean dirty = true;
    private String notice = "";
    private double pressX;
    private double pressY;
    private boolean panning;
    private boolean boxing;
    private AxisRange panStartX;
    private AxisRange panStartY;

    public MetricChartSkin(MetricChart control) {
        super(control);
        emptyLabel.textProperty().bind(control.emptyTextProperty());
        emptyLabel.getStyleClass().add(MetricChart.EMPTY_STYLE_CLASS);
        emptyLabel.setMouseTransparent(true);
        textStyle.getStyleClass().add("metric-chart-text");
        textStyle.setOpacity(0);
        textStyle.setManaged(false);
        textStyle.setMouseTransparent(true);
        readout.getStyleClass().add(READOUT_STYLE_CLASS);
        readout.setMouseTransparent(true);
        readout.setManaged(false);
        readout.setVisible(false);
        crosshair.getStyleClass().add("metric-chart-crosshair");
        crosshair.setMouseTransparent(true);
        crosshair.setManaged(false);
        crosshair.setVisible(false);
        zoomBox.getStyleClass().add("metric-chart-zoom-box");
        zoomBox.setMouseTransparent(true);
        zoomBox.setManaged(false);
        zoomBox.setVisible(false);
        getChildren().addAll(textStyle, canvas, crosshair, zoomBox, emptyLabel, readout);

        control.getSeries().addListener(seriesChanged);
        control.maxDrawnPointsProperty().addListener(changed);
        control.logScaleProperty().addListener(scaleChanged);
        control.smoothingProperty().addListener(changed);
        control.titleProperty().addListener(changed);
        control.xAxisLabelProperty().addListener(changed);
        control.yAxisLabelProperty().addListener(changed);
        textStyle.textFillProperty().addListener(changed);
        textStyle.fontProperty().addListener(changed);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::hover);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hideReadout());
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                resetView();
            }
        });
        canvas.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        control.addEventHandler(KeyEvent.KEY_PRESSED, keys);
        relisten();
    }

    /** The points drawn for {@code series} at the last redraw (the smoothed line when smoothing is on), or {@code null}. */
    public DecimatedLine drawn(MetricSeries series) {
        return drawn.get(series);
    }

    /** The colour {@code series} is drawn in: its place in the chart's list picks it; {@code null} when not listed. */
    public Color colour(MetricSeries series) {
        int index = getSkinnable().getSeries().indexOf(series);
        return index < 0 ? null : PALETTE[index % PALETTE.length];
    }

    /** The x range shown at the last redraw, or {@code null} before the first one with data. */
    public AxisRange xRange() {
        return xShown;
    }

    /** The y range shown at the last redraw (log10 units on a log scale), or {@code null} before one with data. */
    public AxisRange yRange() {
        return yShown;
    }

    /** The canvas the chart is drawn on. */
    public Canvas canvas() {
        return canvas;
    }

    /** Where the point {@code (x, y)} (y in display units: log10 on a log scale) lies on the canvas. */
    public Point2D toCanvas(double x, double y) {
        return new Point2D(pixelX(x), pixelY(y));
    }

    /** The hover read-out as shown, empty while hidden. */
    public String readoutText() {
        return readout.isVisible() ? readout.getText() : "";
    }

    /** What the chart could not draw (non-positive values on a log scale), empty when nothing. */
    public String notice() {
        return notice;
    }

    /** Zooms to the given ranges; a {@code null} range fits the data. */
    public void zoomTo(AxisRange x, AxisRange y) {
        xView = x;
        yView = y;
        invalidate();
    }

    /** Shows all the data again. */
    public void resetView() {
        zoomTo(null, null);
    }

    @Override
    public void dispose() {
        MetricChart control = getSkinnable();
        if (control == null) {
            return;
        }
        control.getSeries().removeListener(seriesChanged);
        control.maxDrawnPointsProperty().removeListener(changed);
        control.logScaleProperty().removeListener(scaleChanged);
        control.smoothingProperty().removeListener(changed);
        control.titleProperty().removeListener(changed);
        control.xAxisLabelProperty().removeListener(changed);
        control.yAxisLabelProperty().removeListener(changed);
        control.removeEventHandler(KeyEvent.KEY_PRESSED, keys);
        listened.forEach(s -> s.removeListener(changed));
        listened.clear();
        drawn.clear();
        decimations.clear();
        rawSpans.clear();
        smoothedSpans.clear();
        emptyLabel.textProperty().unbind();
        super.dispose();
    }

    @Override
    protected void layoutChildren(double x, double y, double w, double h) {
        canvas.relocate(x, y);
        canvas.setWidth(w);
        canvas.setHeight(h);
        emptyLabel.autosize();
        emptyLabel.relocate(x + (w - emptyLabel.getWidth()) / 2, y + (h - emptyLabel.getHeight()) / 2);
        if (dirty || w != drawnWidth || h != drawnHeight) {
            redraw(w, h);
        }
    }

    private void invalidate() {
        dirty = true;
        getSkinnable().requestLayout();
    }

    private void relisten() {
        listened.forEach(s -> s.removeListener(changed));
        listened.clear();
        for (MetricSeries series : getSkinnable().getSeries()) {
            series.addListener(changed);
            listened.add(series);
        }
    }

    /**
     * The decimation of a series' raw line: the one of the last redraw fed the new points when only points were
     * appended since and the view is the same, else a new one.
     */
    private PixelDecimation decimation(MetricSeries series, int columns, boolean log) {
        Decimated cached = decimations.get(series);
        if (cached == null || cached.generation != series.generation() || series.size() < cached.decimation.consumed()
                || !cached.decimation.matches(xShown, columns, log)) {
            cached = new Decimated(series.generation(), new PixelDecimation(xShown, columns, log));
            decimations.put(series, cached);
            // a new decimation: nothing of the line drawn before can be kept
            rawSpans.remove(series);
        }
        cached.decimation.feed(series.xsView(), series.ysView(), series.size());
        return cached.decimation;
    }

    /** A series' decimation and the {@link MetricSeries#generation()} of the points it was fed. */
    private record Decimated(long generation, PixelDecimation decimation) {
    }

    /** Where data values land on the raster: spans computed for one view are valid only for the same. */
    private record SpanView(AxisRange x, AxisRange y, double left, double top, double width, double height) {
    }

    /** One dense line painted into the raster, as far as its pixels depend on more than its spans. */
    private record StrokeKey(MetricSeries series, boolean smoothed, Color colour, double opacity, double width) {
    }

    /** A dense line to paint: its spans, the first column they changed in, and how it is painted. */
    private record Stroke(StrokeKey key, LineSpans spans, int dirty) {
    }

    /** The series' values in display units: log10 on a log scale ({@code NaN} for values &lt;= 0). */
    private static double[] display(MetricSeries series, boolean log) {
        double[] raw = series.ysView();
        if (!log) {
            return raw;
        }
        double[] ys = new double[series.size()];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = raw[i] > 0 ? Math.log10(raw[i]) : Double.NaN;
        }
        return ys;
    }

    /**
     * The exponential moving average of the values, debiased as the dashboard's (and TensorBoard's) is;
     * {@code NaN} where the value is, a gap keeping the average.
     */
    static double[] ema(double[] ys, int size, double smoothing) {
        double[] out = new double[size];
        double average = 0;
        double weight = 0;
        for (int i = 0; i < size; i++) {
            double y = ys[i];
            if (Double.isNaN(y)) {
                out[i] = Double.NaN;
                continue;
            }
            average = smoothing * average + (1 - smoothing) * y;
            weight = smoothing * weight + (1 - smoothing);
            out[i] = average / weight;
        }
        return out;
    }

    private void redraw(double w, double h) {
        dirty = false;
        drawnWidth = w;
        drawnHeight = h;
        drawn.clear();
        notice = "";
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        MetricChart chart = getSkinnable();
        List<MetricSeries> all = chart.getSeries();
        boolean any = all.stream().anyMatch(s -> s.size() > 0);
        emptyLabel.setVisible(!any);
        Font font = textStyle.getFont();
        Paint text = textStyle.getTextFill();
        double top = 4 + drawTitle(g, chart.titleProperty().get(), font, text, w);
        top += drawLegend(g, all, font, text, top, w);
        plotTop = Math.ceil(top + 6);
        plotHeight = h - plotTop - BOTTOM;
        if (!any || plotHeight < 10 || w < 60) {
            xShown = null;
            yShown = null;
            return;
        }
        boolean log = chart.logScaleProperty().get();
        double smoothing = Math.max(0, Math.min(MetricChart.MAX_SMOOTHING, chart.smoothingProperty().get()));
        xShown = xView != null ? xView : dataXRange(all);

        // the plot's width depends on the y labels, which depend on the y range of the points in view: decimate
        // once for a plot as wide as the narrowest labels allow, fit y to that, and draw the same points at the
        // final width (a few columns more than pixels, never fewer)
        double yLabelRoom = chart.yAxisLabelProperty().get().isEmpty() ? 0 : 18;
        int budgetColumns = Math.max(1, chart.maxDrawnPointsProperty().get() / 4);
        int columns = (int) Math.max(1, Math.min(Math.ceil(w - MIN_LEFT - yLabelRoom - RIGHT), budgetColumns));
        Map<MetricSeries, DecimatedLine> lines = new IdentityHashMap<>();
        int nonPositive = 0;
        for (MetricSeries series : all) {
            PixelDecimation decimation = decimation(series, columns, log);
            lines.put(series, decimation.line());
            nonPositive += decimation.nonPositive();
        }
        decimations.keySet().retainAll(lines.keySet());
        rawSpans.keySet().retainAll(lines.keySet());
        smoothedSpans.keySet().retainAll(lines.keySet());
        yShown = yView != null ? yView : fitY(lines.values());
        double[] yTicks = log ? Ticks.log(yShown, (int) (plotHeight / Y_TICK_SPACING))
                : Ticks.linear(yShown, (int) (plotHeight / Y_TICK_SPACING));
        double yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : yShown.span();
        String[] yLabels = new String[yTicks.length];
        double widest = 0;
        measure.setFont(font);
        for (int i = 0; i < yTicks.length; i++) {
            yLabels[i] = log ? Ticks.formatLog(yTicks[i]) : Ticks.format(yTicks[i], yStep);
            measure.setText(yLabels[i]);
            widest = Math.max(widest, measure.getLayoutBounds().getWidth());
        }
        plotLeft = Math.ceil(widest + TICK + 6 + yLabelRoom + 4);
        plotWidth = Math.max(10, w - plotLeft - RIGHT);

        drawGrid(g, yTicks, yLabels, font, text);
        drawAxisLabels(g, chart, font, text, log, w, h);

        SpanRaster raster = raster();
        g.save();
        g.beginPath();
        g.rect(plotLeft, plotTop, plotWidth, plotHeight);
        g.clip();
        List<Runnable> vectorLines = new ArrayList<>();
        List<Stroke> strokes = new ArrayList<>();
        for (int s = 0; s < all.size(); s++) {
            MetricSeries series = all.get(s);
            Color colour = PALETTE[s % PALETTE.length];
            double width = s == 1 ? 1.8 : 1.3;
            DecimatedLine line = lines.get(series);
            int closed = decimations.get(series).decimation().closedLength();
            // denser than the columns: spans into the raster; sparse: antialiased vector lines, drawn above it
            boolean dense = line.pointCount() > columns;
            if (smoothing > 0) {
                draw(g, raster, strokes, vectorLines, dense, line, closed,
                        new StrokeKey(series, false, colour, RAW_ALPHA_WHEN_SMOOTHED, 1.0));
                line = PixelDecimation.decimate(series.xsView(), ema(display(series, log), series.size(), smoothing),
                        series.size(), xShown, columns);
                dense = line.pointCount() > columns;
                // a new decimation each time: no entry of it is known to be the same next time
                closed = 0;
            }
            draw(g, raster, strokes, vectorLines, dense, line, closed, new StrokeKey(series, smoothing > 0, colour, 1, width));
            if (series.style() == MetricSeries.Style.LINE_AND_MARKERS) {
                DecimatedLine marked = line;
                vectorLines.add(() -> drawMarkers(g, marked, colour));
            }
            drawn.put(series, line);
        }
        if (raster != null) {
            g.setImageSmoothing(false);
            g.drawImage(paint(raster, strokes), plotLeft, plotTop);
        }
        vectorLines.forEach(Runnable::run);
        g.restore();

        if (log && nonPositive > 0) {
            notice = String.format(Locale.ROOT, "log scale: %,d value%s \u2264 0 not drawn", nonPositive, nonPositive == 1 ? "" : "s");
            g.setFill(text);
            g.setFont(font);
            g.setTextAlign(TextAlignment.RIGHT);
            g.setTextBaseline(VPos.TOP);
            g.fillText(notice, plotLeft + plotWidth - 4, plotTop + 4);
        }
    }

    private double drawTitle(GraphicsContext g, String title, Font font, Paint text, double w) {
        if (title == null || title.isEmpty()) {
            return 0;
        }
        g.setFont(Font.font(font.getFamily(), FontWeight.BOLD, font.getSize() + 2));
        g.setFill(text);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        g.fillText(title, w / 2, 4);
        return font.getSize() + 8;
    }

    /** Draws the legend as one or more rows and returns their height. */
    private double drawLegend(GraphicsContext g, List<MetricSeries> all, Font font, Paint text, double top, double w) {
        if (all.isEmpty()) {
            return 0;
        }
        double rowHeight = font.getSize() + 6;
        double x = 8;
        double y = top;
        g.setFont(font);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        measure.setFont(font);
        for (int s = 0; s < all.size(); s++) {
            measure.setText(all.get(s).name());
            double itemWidth = 22 + measure.getLayoutBounds().getWidth() + 14;
            if (x + itemWidth > w && x > 8) {
                x = 8;
                y += rowHeight;
            }
            Color colour = PALETTE[s % PALETTE.length];
            double mid = y + rowHeight / 2;
            g.setStroke(colour);
            g.setLineWidth(2.5);
            g.strokeLine(x, mid, x + 16, mid);
            if (all.get(s).style() == MetricSeries.Style.LINE_AND_MARKERS) {
                g.setFill(colour);
                g.fillOval(x + 5, mid - 3, 6, 6);
            }
            g.setFill(text);
            g.fillText(all.get(s).name(), x + 22, mid);
            x += itemWidth;
        }
        return y + rowHeight - top;
    }

    private void drawGrid(GraphicsContext g, double[] yTicks, String[] yLabels, Font font, Paint text) {
        Color grid = text instanceof Color c ? c.deriveColor(0, 1, 1, 0.22) : Color.gray(0.5, 0.22);
        double bottom = plotTop + plotHeight;
        g.setFont(font);
        g.setLineWidth(1);
        g.setLineDashes(3, 3);
        g.setStroke(grid);
        double[] xTicks = Ticks.linear(xShown, (int) Math.max(1, plotWidth / X_TICK_SPACING));
        for (double t : xTicks) {
            double px = Math.round(pixelX(t)) + 0.5;
            g.strokeLine(px, plotTop, px, bottom);
        }
        for (double t : yTicks) {
            double py = Math.round(pixelY(t)) + 0.5;
            g.strokeLine(plotLeft, py, plotLeft + plotWidth, py);
        }
        g.setLineDashes();
        g.setStroke(text);
        g.setGlobalAlpha(0.6);
        g.strokeLine(plotLeft - 0.5, plotTop, plotLeft - 0.5, bottom + 0.5);
        g.strokeLine(plotLeft - 0.5, bottom + 0.5, plotLeft + plotWidth, bottom + 0.5);
        g.setGlobalAlpha(1);
        g.setFill(text);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : xShown.span();
        for (double t : xTicks) {
            double px = Math.round(pixelX(t)) + 0.5;
            g.strokeLine(px, bottom, px, bottom + TICK);
            g.fillText(Ticks.format(t, xStep), px, bottom + TICK + 2);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < yTicks.length; i++) {
            double py = Math.round(pixelY(yTicks[i])) + 0.5;
            g.strokeLine(plotLeft - TICK, py, plotLeft, py);
            g.fillText(yLabels[i], plotLeft - TICK - 3, py);
        }
    }

    private void drawAxisLabels(GraphicsContext g, MetricChart chart, Font font, Paint text, boolean log, double w, double h) {
        g.setFill(text);
        g.setFont(font);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(chart.xAxisLabelProperty().get(), plotLeft + plotWidth / 2, h - 2);
        String yLabel = chart.yAxisLabelProperty().get();
        if (!yLabel.isEmpty()) {
            g.save();
            g.translate(4, plotTop + plotHeight / 2);
            g.rotate(-90);
            g.setTextBaseline(VPos.TOP);
            g.fillText(log ? yLabel + " (log)" : yLabel, 0, 0);
            g.restore();
        }
    }

    /** Brings a dense line's spans up to date for the raster (when one exists), else queues it as a vector line. */
    private void draw(GraphicsContext g, SpanRaster raster, List<Stroke> strokes, List<Runnable> vectorLines, boolean dense,
                      DecimatedLine line, int closed, StrokeKey key) {
        if (dense && raster != null) {
            Map<MetricSeries, LineSpans> spansOf = key.smoothed() ? smoothedSpans : rawSpans;
            LineSpans spans = spansOf.computeIfAbsent(key.series(), s -> new LineSpans(raster.width()));
            strokes.add(new Stroke(key, spans, update(spans, line, closed)));
        } else {
            vectorLines.add(() -> {
                g.setGlobalAlpha(key.opacity());
                stroke(g, line, key.colour(), key.width());
                g.setGlobalAlpha(1);
            });
        }
    }

    /**
     * The raster for the plot's size, reused while the size stays (a new one is a 4-byte-per-pixel buffer and an
     * image); a new size or view forgets every span and paints all columns anew. {@code null} when the plot has no
     * whole pixel.
     */
    private SpanRaster raster() {
        int w = (int) Math.ceil(plotWidth);
        int h = (int) Math.ceil(plotHeight);
        if (w < 1 || h < 1) {
            return null;
        }
        if (raster == null || raster.width() != w || raster.height() != h) {
            raster = new SpanRaster(w, h);
            rawSpans.clear();
            smoothedSpans.clear();
            painted = List.of();
        }
        SpanView view = new SpanView(xShown, yShown, plotLeft, plotTop, plotWidth, plotHeight);
        if (!view.equals(spanView)) {
            spanView = view;
            rawSpans.values().forEach(LineSpans::reset);
            smoothedSpans.values().forEach(LineSpans::reset);
            painted = List.of();
        }
        return raster;
    }

    /** Updates a line's spans to {@code line} in plot pixels; returns the first column that changed. */
    private int update(LineSpans spans, DecimatedLine line, int closed) {
        double[] px = new double[line.length()];
        double[] py = new double[line.length()];
        for (int i = 0; i < line.length(); i++) {
            double y = line.ys()[i];
            px[i] = clampPixel(pixelX(line.xs()[i])) - plotLeft;
            py[i] = Double.isNaN(y) ? Double.NaN : clampPixel(pixelY(y)) - plotTop;
        }
        return spans.update(px, py, line.length(), closed);
    }

    /**
     * Paints the strokes into the raster: from the first column any of them changed when the raster holds the same
     * strokes, else all of it; returns the image with the repainted columns uploaded.
     */
    private WritableImage paint(SpanRaster target, List<Stroke> strokes) {
        List<StrokeKey> keys = strokes.stream().map(Stroke::key).toList();
        int from = 0;
        if (keys.equals(painted)) {
            from = strokes.stream().mapToInt(Stroke::dirty).min().orElse(target.width());
        }
        painted = keys;
        target.clearFrom(from);
        for (Stroke stroke : strokes) {
            StrokeKey key = stroke.key();
            target.paint(stroke.spans(), from, key.colour(), key.opacity(), key.width());
        }
        return target.toImage(from);
    }

    private void stroke(GraphicsContext g, DecimatedLine line, Color colour, double width) {
        g.setStroke(colour);
        g.setLineWidth(width);
        double[] px = new double[line.length()];
        double[] py = new double[line.length()];
        int n = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || Double.isNaN(line.ys()[i])) {
                if (n == 1) {
                    g.strokeLine(px[0], py[0], px[0] + 0.5, py[0]);
                } else if (n > 1) {
                    g.strokePolyline(px, py, n);
                }
                n = 0;
                continue;
            }
            px[n] = clampPixel(pixelX(line.xs()[i]));
            py[n] = clampPixel(pixelY(line.ys()[i]));
            n++;
        }
    }

    private void drawMarkers(GraphicsContext g, DecimatedLine line, Color colour) {
        int inView = 0;
        for (int i = 0; i < line.length(); i++) {
            inView += xShown.contains(line.xs()[i]) && !Double.isNaN(line.ys()[i]) ? 1 : 0;
        }
        if (inView > MAX_MARKERS) {
            return;
        }
        g.setFill(colour);
        for (int i = 0; i < line.length(); i++) {
            if (!Double.isNaN(line.ys()[i])) {
                g.fillOval(pixelX(line.xs()[i]) - 3.5, pixelY(line.ys()[i]) - 3.5, 7, 7);
            }
        }
    }

    /**
     * The data's x range widened to round ticks: a growing series then keeps the same range (and its
     * decimation, which only takes the new points) until it passes the next tick.
     */
    private static AxisRange dataXRange(List<MetricSeries> all) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (MetricSeries series : all) {
            if (series.size() > 0) {
                min = Math.min(min, series.minX());
                max = Math.max(max, series.maxX());
            }
        }
        if (!(min < max)) {
            return padded(min, max, 0);
        }
        return settled(min, max);
    }

    /** {@code [min, max]} widened to multiples of about 1/{@link #QUANTA} of its span. */
    private static AxisRange settled(double min, double max) {
        double quantum = Ticks.niceStep((max - min) / QUANTA);
        double lower = Math.floor(min / quantum) * quantum;
        return new AxisRange(lower, Math.max(Math.ceil(max / quantum) * quantum, lower + quantum));
    }

    /** The range of the values in view: those the decimation keeps, which include each column's extremes. */
    private AxisRange fitY(Iterable<DecimatedLine> lines) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (DecimatedLine line : lines) {
            for (int i = 0; i < line.length(); i++) {
                double y = line.ys()[i];
                if (!Double.isNaN(y) && xShown.contains(line.xs()[i])) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        AxisRange fitted = padded(min, max, 0.05);
        return settled(fitted.min(), fitted.max());
    }

    /** {@code [min, max]} widened by {@code margin} of its span on each side; a single value gets room around it. */
    private static AxisRange padded(double min, double max, double margin) {
        if (!(min <= max)) {
            return new AxisRange(0, 1);
        }
        if (min == max) {
            double room = min == 0 ? 1 : Math.abs(min) * 0.1;
            return new AxisRange(min - room, max + room);
        }
        double pad = (max - min) * margin;
        return new AxisRange(min - pad, max + pad);
    }

    private double pixelX(double x) {
        return plotLeft + (x - xShown.min()) / xShown.span() * plotWidth;
    }

    private double pixelY(double y) {
        return plotTop + plotHeight - (y - yShown.min()) / yShown.span() * plotHeight;
    }

    private double dataX(double px) {
        return xShown.min() + (px - plotLeft) / plotWidth * xShown.span();
    }

    private double dataY(double py) {
        return yShown.min() + (plotTop + plotHeight - py) / plotHeight * yShown.span();
    }

    /** Keeps far-off points (outside the zoomed view) at coordinates the rasteriser handles exactly. */
    private static double clampPixel(double p) {
        return Math.max(-1e5, Math.min(1e5, p));
    }

    private boolean inPlot(double px, double py) {
        return xShown != null && px >= plotLeft && px <= plotLeft + plotWidth && py >= plotTop && py <= plotTop + plotHeight;
    }

    private void hover(MouseEvent e) {
        if (!inPlot(e.getX(), e.getY())) {
            hideReadout();
            return;
        }
        double x = dataX(e.getX());
        StringBuilder lines = new StringBuilder();
        double nearestX = Double.NaN;
        for (MetricSeries series : getSkinnable().getSeries()) {
            int best = nearest(series, x);
            if (best < 0) {
                continue;
            }
            if (Double.isNaN(nearestX)) {
                nearestX = series.x(best);
                lines.append(getSkinnable().xAxisLabelProperty().get()).append(' ').append(readoutValue(nearestX));
            }
            lines.append('\n').append(series.name()).append("  ").append(readoutValue(series.y(best)));
            if (series.x(best) != nearestX) {
                lines.append("  (at ").append(readoutValue(series.x(best))).append(')');
            }
        }
        if (lines.length() == 0) {
            hideReadout();
            return;
        }
        double px = Math.round(pixelX(nearestX)) + 0.5;
        crosshair.setStartX(px);
        crosshair.setEndX(px);
        crosshair.setStartY(plotTop);
        crosshair.setEndY(plotTop + plotHeight);
        crosshair.setVisible(true);
        readout.setText(lines.toString());
        readout.autosize();
        double lx = e.getX() + 14 + readout.getWidth() > canvas.getWidth() ? e.getX() - 14 - readout.getWidth() : e.getX() + 14;
        double ly = Math.min(e.getY() + 14, canvas.getHeight() - readout.getHeight());
        readout.relocate(Math.max(0, lx), Math.max(0, ly));
        readout.setVisible(true);
    }

    /** The index of the point nearest {@code x}, or -1 when the series has none with a value. */
    private static int nearest(MetricSeries series, double x) {
        double[] xs = series.xsView();
        double[] ys = series.ysView();
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < series.size(); i++) {
            double distance = Math.abs(xs[i] - x);
            if (distance < bestDistance && !Double.isNaN(ys[i])) {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** A value as the read-out shows it: five significant digits, no trailing zeros. */
    static String readoutValue(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String s = String.format(Locale.ROOT, "%.5g", value);
        return s.contains("e") ? s.replaceFirst("\\.?0+e", "e") : s.replaceFirst("\\.?0+$", "");
    }

    private void hideReadout() {
        readout.setVisible(false);
        crosshair.setVisible(false);
    }

    private void pressed(MouseEvent e) {
        getSkinnable().requestFocus();
        if (xShown == null) {
            return;
        }
        pressX = e.getX();
        pressY = e.getY();
        panning = e.getButton() == MouseButton.SECONDARY || e.getButton() == MouseButton.MIDDLE
                || (e.getButton() == MouseButton.PRIMARY && e.isShiftDown());
        boxing = !panning && e.getButton() == MouseButton.PRIMARY && inPlot(pressX, pressY);
        panStartX = xShown;
        panStartY = yShown;
    }

    private void dragged(MouseEvent e) {
        if (panning) {
            double dx = (e.getX() - pressX) / plotWidth * panStartX.span();
            xView = panStartX.shift(-dx);
            if (yView != null) {
                yView = panStartY.shift((e.getY() - pressY) / plotHeight * panStartY.span());
            }
            invalidate();
        } else if (boxing) {
            hideReadout();
            double x = clamp(e.getX(), plotLeft, plotLeft + plotWidth);
            double y = clamp(e.getY(), plotTop, plotTop + plotHeight);
            zoomBox.setX(Math.min(pressX, x));
            zoomBox.setY(Math.min(pressY, y));
            zoomBox.setWidth(Math.abs(x - pressX));
            zoomBox.setHeight(Math.abs(y - pressY));
            zoomBox.setVisible(true);
        }
    }

    private void released(MouseEvent e) {
        if (boxing && zoomBox.isVisible()) {
            zoomBox.setVisible(false);
            double left = zoomBox.getX();
            double right = left + zoomBox.getWidth();
            double upper = zoomBox.getY();
            double lower = upper + zoomBox.getHeight();
            if (zoomBox.getWidth() >= MIN_BOX) {
                AxisRange y = zoomBox.getHeight() >= MIN_BOX ? new AxisRange(dataY(lower), dataY(upper)) : yView;
                zoomTo(new AxisRange(dataX(left), dataX(right)), y);
            }
        }
        panning = false;
        boxing = false;
    }

    private void scrolled(ScrollEvent e) {
        if (xShown == null || e.getDeltaY() == 0) {
            return;
        }
        double anchor = inPlot(e.getX(), e.getY()) ? dataX(e.getX()) : (xShown.min() + xShown.max()) / 2;
        zoomTo(xShown.zoom(anchor, Math.pow(ZOOM_STEP, e.getDeltaY() / 40)), yView);
        e.consume();
    }

    private void keyPressed(KeyEvent e) {
        if (xShown == null) {
            return;
        }
        double centre = (xShown.min() + xShown.max()) / 2;
        switch (e.getCode()) {
            case PLUS, EQUALS, ADD -> zoomTo(xShown.zoom(centre, ZOOM_STEP), yView);
            case MINUS, SUBTRACT -> zoomTo(xShown.zoom(centre, 1 / ZOOM_STEP), yView);
            case DIGIT0, NUMPAD0 -> resetView();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
