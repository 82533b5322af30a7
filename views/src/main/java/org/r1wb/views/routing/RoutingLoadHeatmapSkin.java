package org.r1wb.views.routing;

import javafx.beans.InvalidationListener;
import javafx.beans.value.ChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseEvent;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.Locale;

/**
 * Paints a {@link RoutingLoadHeatmap}: the heatmap as one image (one pixel per cell, stretched without
 * smoothing), expert labels on the left, steps below, the CV of each step in a strip under the cells,
 * the bias bars and the colour bar on the right.
 */
public class RoutingLoadHeatmapSkin extends CanvasSkin<RoutingLoadHeatmap> {

    private static final double TOP = 30;
    private static final double LEFT = 46;
    private static final double BIAS_WIDTH = 110;
    private static final double BAR_WIDTH = 14;
    private static final double RIGHT = BIAS_WIDTH + BAR_WIDTH + 64;
    private static final double CV_HEIGHT = 64;
    private static final double AXIS_HEIGHT = 34;

    private final InvalidationListener dataChanged = o -> refresh();
    private final ChangeListener<RoutingHistory> historyChanged = (o, old, now) -> {
        if (old != null) {
            old.removeListener(dataChanged);
        }
        if (now != null) {
            now.addListener(dataChanged);
        }
        refresh();
    };
    private final EventHandler<MouseEvent> hover = this::hover;
    private final EventHandler<MouseEvent> exit = e -> setHover(-1, -1);

    private List<RoutingSample> samples = List.of();
    private WritableImage image;
    private double max;
    private int experts;
    private int hoverColumn = -1;
    private int hoverExpert = -1;
    private String hoverText = "";
    /** Where the cells were last drawn, for mouse hit tests. */
    private double cellsX;
    private double cellsY;
    private double cellsW;
    private double cellsH;

    public RoutingLoadHeatmapSkin(RoutingLoadHeatmap control) {
        super(control);
        control.historyProperty().addListener(historyChanged);
        if (control.historyProperty().get() != null) {
            control.historyProperty().get().addListener(dataChanged);
        }
        control.layerProperty().addListener(dataChanged);
        canvas().addEventHandler(MouseEvent.MOUSE_MOVED, hover);
        canvas().addEventHandler(MouseEvent.MOUSE_EXITED, exit);
        refresh();
    }

    @Override
    public void dispose() {
        RoutingLoadHeatmap control = getSkinnable();
        if (control == null) {
            return;
        }
        control.historyProperty().removeListener(historyChanged);
        if (control.historyProperty().get() != null) {
            control.historyProperty().get().removeListener(dataChanged);
        }
        control.layerProperty().removeListener(dataChanged);
        canvas().removeEventHandler(MouseEvent.MOUSE_MOVED, hover);
        canvas().removeEventHandler(MouseEvent.MOUSE_EXITED, exit);
        super.dispose();
    }

    /** The number of step columns drawn. */
    public int columns() {
        return samples.size();
    }

    /** The number of expert rows drawn. */
    public int experts() {
        return experts;
    }

    /** The step of column {@code column}. */
    public long columnStep(int column) {
        return samples.get(column).step();
    }

    /** The load value drawn in the cell of {@code expert} at {@code column}. */
    public double cellValue(int expert, int column) {
        return samples.get(column).load()[expert];
    }

    /** The colour of that cell as drawn in the heatmap image (ARGB). */
    public int cellArgb(int expert, int column) {
        return image.getPixelReader().getArgb(column, expert);
    }

    /** The load at the top of the colour scale. */
    public double colourScaleMax() {
        return max;
    }

    /** The read-out of the hovered cell, empty when none. */
    public String hoverText() {
        return hoverText;
    }

    private void refresh() {
        RoutingHistory history = getSkinnable().historyProperty().get();
        samples = history == null ? List.of() : history.samples(getSkinnable().layerProperty().get());
        experts = samples.stream().mapToInt(RoutingSample::experts).max().orElse(0);
        double highest = 0;
        for (RoutingSample sample : samples) {
            for (double v : sample.load()) {
                highest = Math.max(highest, v);
            }
        }
        max = highest;
        if (!samples.isEmpty() && experts > 0) {
            List<RoutingSample> drawn = samples;
            image = HeatmapPainter.fill(image, drawn.size(), experts,
                    (c, r) -> r < drawn.get(c).experts() ? drawn.get(c).load()[r] : 0, max);
        }
        markDirty();
    }

    @Override
    protected void paint(GraphicsContext gc, double width, double height) {
        gc.setFill(HeatmapPainter.BACKGROUND);
        gc.fillRect(0, 0, width, height);
        int layer = getSkinnable().layerProperty().get();
        HeatmapPainter.title(gc, "Expert load · layer " + layer, 8, 6);
        paintHover(gc, width);
        cellsX = LEFT;
        cellsY = TOP;
        cellsW = Math.max(10, width - LEFT - RIGHT);
        cellsH = Math.max(10, height - TOP - CV_HEIGHT - AXIS_HEIGHT - 8);
        if (samples.isEmpty() || experts == 0) {
            gc.setFill(HeatmapPainter.MUTED);
            gc.setTextAlign(TextAlignment.CENTER);
            gc.setTextBaseline(VPos.CENTER);
            gc.fillText("No routing events for layer " + layer + " yet", width / 2, height / 2);
            return;
        }
        HeatmapPainter.drawCells(gc, image, cellsX, cellsY, cellsW, cellsH);
        paintExpertAxis(gc);
        paintCv(gc);
        paintStepAxis(gc, height);
        paintBias(gc);
        HeatmapPainter.colorBar(gc, width - RIGHT + BIAS_WIDTH + 14, cellsY, BAR_WIDTH, cellsH, max, true,
                1.0 / experts, "1/E");
    }

    private void paintHover(GraphicsContext gc, double width) {
        gc.setFill(HeatmapPainter.MUTED);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.TOP);
        gc.fillText(hoverText, width - 8, 8);
    }

    private void paintExpertAxis(GraphicsContext gc) {
        double pitch = cellsH / experts;
        int stride = HeatmapPainter.labelStride(pitch, 13);
        gc.setFill(HeatmapPainter.TEXT);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.CENTER);
        for (int e = 0; e < experts; e += stride) {
            gc.fillText("E" + e, cellsX - 6, cellsY + (e + 0.5) * pitch);
        }
        gc.save();
        gc.translate(10, cellsY + cellsH / 2);
        gc.rotate(-90);
        gc.setTextAlign(TextAlignment.CENTER);
        gc.setFill(HeatmapPainter.MUTED);
        gc.fillText("expert", 0, 0);
        gc.restore();
    }

    private void paintStepAxis(GraphicsContext gc, double height) {
        double pitch = cellsW / samples.size();
        int stride = HeatmapPainter.labelStride(pitch, 44);
        double axisY = cellsY + cellsH + 8 + CV_HEIGHT;
        gc.setFill(HeatmapPainter.TEXT);
        gc.setTextAlign(TextAlignment.CENTER);
        gc.setTextBaseline(VPos.TOP);
        for (int c = 0; c < samples.size(); c += stride) {
            gc.fillText(Long.toString(samples.get(c).step()), cellsX + (c + 0.5) * pitch, axisY + 3);
        }
        gc.setFill(HeatmapPainter.MUTED);
        gc.fillText("step", cellsX + cellsW / 2, height - 15);
    }

    private void paintCv(GraphicsContext gc) {
        double top = cellsY + cellsH + 8;
        double plotH = CV_HEIGHT - 10;
        double highest = samples.stream().mapToDouble(RoutingSample::cv).filter(v -> !Double.isNaN(v)).max().orElse(0);
        double scale = highest > 0 ? highest * 1.1 : 1;
        gc.setStroke(HeatmapPainter.FRAME);
        gc.setLineWidth(1);
        gc.strokeLine(cellsX, top + plotH + 0.5, cellsX + cellsW, top + plotH + 0.5);
        gc.setFill(HeatmapPainter.MUTED);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.CENTER);
        gc.fillText("CV", cellsX - 6, top + plotH / 2);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.TOP);
        gc.fillText("max " + HeatmapPainter.format(highest, false), cellsX + 4, top);
        double pitch = cellsW / samples.size();
        gc.setStroke(HeatmapPainter.TEXT);
        gc.setFill(HeatmapPainter.TEXT);
        gc.setLineWidth(1.5);
        gc.beginPath();
        boolean started = false;
        for (int c = 0; c < samples.size(); c++) {
            double cv = samples.get(c).cv();
            if (Double.isNaN(cv)) {
                continue;
            }
            double px = cellsX + (c + 0.5) * pitch;
            double py = top + plotH - plotH * cv / scale;
            if (started) {
                gc.lineTo(px, py);
            } else {
                gc.moveTo(px, py);
                started = true;
            }
            if (pitch >= 6) {
                gc.fillOval(px - 2.5, py - 2.5, 5, 5);
            }
        }
        gc.stroke();
    }

    private void paintBias(GraphicsContext gc) {
        int column = hoverColumn >= 0 ? hoverColumn : samples.size() - 1;
        double[] bias = samples.get(column).bias();
        double x = cellsX + cellsW + 10;
        double w = BIAS_WIDTH - 20;
        double centre = x + w / 2;
        gc.setTextAlign(TextAlignment.CENTER);
        gc.setTextBaseline(VPos.BOTTOM);
        gc.setFill(HeatmapPainter.MUTED);
        gc.fillText("bias @ " + samples.get(column).step(), centre, cellsY - 2);
        if (bias.length == 0) {
            gc.setTextBaseline(VPos.CENTER);
            gc.fillText("none", centre, cellsY + cellsH / 2);
            return;
        }
        double largest = 0;
        for (double b : bias) {
            largest = Math.max(largest, Math.abs(b));
        }
        double pitch = cellsH / experts;
        double barH = Math.max(1, pitch * 0.7);
        for (int e = 0; e < Math.min(experts, bias.length); e++) {
            double len = largest > 0 ? bias[e] / largest * (w / 2) : 0;
            gc.setFill(bias[e] >= 0 ? HeatmapPainter.POSITIVE : HeatmapPainter.NEGATIVE);
            double y = cellsY + (e + 0.5) * pitch - barH / 2;
            gc.fillRect(Math.min(centre, centre + len), y, Math.abs(len), barH);
        }
        gc.setStroke(HeatmapPainter.FRAME);
        gc.setLineWidth(1);
        gc.strokeLine(Math.floor(centre) + 0.5, cellsY, Math.floor(centre) + 0.5, cellsY + cellsH);
        gc.setTextBaseline(VPos.TOP);
        gc.setFill(HeatmapPainter.MUTED);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.fillText("−" + HeatmapPainter.format(largest, false), x - 4, cellsY + cellsH + 2);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.fillText("+" + HeatmapPainter.format(largest, false), x + w + 4, cellsY + cellsH + 2);
    }

    private void hover(MouseEvent event) {
        if (samples.isEmpty() || experts == 0 || event.getX() < cellsX || event.getX() >= cellsX + cellsW
                || event.getY() < cellsY || event.getY() >= cellsY + cellsH) {
            setHover(-1, -1);
            return;
        }
        int column = (int) ((event.getX() - cellsX) / cellsW * samples.size());
        int expert = (int) ((event.getY() - cellsY) / cellsH * experts);
        setHover(Math.min(column, samples.size() - 1), Math.min(expert, experts - 1));
    }

    private void setHover(int column, int expert) {
        if (column == hoverColumn && expert == hoverExpert) {
            return;
        }
        hoverColumn = column;
        hoverExpert = expert;
        if (column < 0) {
            hoverText = "";
        } else {
            RoutingSample sample = samples.get(column);
            double load = expert < sample.experts() ? sample.load()[expert] : Double.NaN;
            hoverText = String.format(Locale.ROOT, "step %d · E%d · load %.2f%% · CV %.3f · entropy %.3f",
                    sample.step(), expert, load * 100, sample.cv(), sample.entropy());
        }
        markDirty();
    }
}
