package org.r1wb.views.routing;

import javafx.beans.InvalidationListener;
import javafx.collections.MapChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseEvent;
import javafx.scene.text.TextAlignment;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * Paints a {@link TokenHeatmap}: the T × E weights as one image (experts as rows, tokens as columns),
 * the token text written vertically under each column when there is room, expert labels on the left.
 */
public class TokenHeatmapSkin extends CanvasSkin<TokenHeatmap> {

    private static final double TOP = 30;
    private static final double LEFT = 46;
    private static final double RIGHT = 70;
    private static final double TOKEN_AXIS = 86;
    private static final double BAR_WIDTH = 14;

    private final InvalidationListener changed = o -> refresh();
    private final MapChangeListener<Integer, TokenRouting> matricesChanged = c -> refresh();
    private final EventHandler<MouseEvent> hover = this::hover;
    private final EventHandler<MouseEvent> exit = e -> setHover(-1);

    private TokenRouting shown;
    private WritableImage image;
    private double max;
    private int hoverToken = -1;
    private String hoverText = "";
    private double cellsX;
    private double cellsY;
    private double cellsW;
    private double cellsH;

    public TokenHeatmapSkin(TokenHeatmap control) {
        super(control);
        control.getMatrices().addListener(matricesChanged);
        control.layerProperty().addListener(changed);
        control.topKProperty().addListener(changed);
        canvas().addEventHandler(MouseEvent.MOUSE_MOVED, hover);
        canvas().addEventHandler(MouseEvent.MOUSE_EXITED, exit);
        refresh();
    }

    @Override
    public void dispose() {
        TokenHeatmap control = getSkinnable();
        if (control == null) {
            return;
        }
        control.getMatrices().removeListener(matricesChanged);
        control.layerProperty().removeListener(changed);
        control.topKProperty().removeListener(changed);
        canvas().removeEventHandler(MouseEvent.MOUSE_MOVED, hover);
        canvas().removeEventHandler(MouseEvent.MOUSE_EXITED, exit);
        super.dispose();
    }

    /** The matrix drawn, or {@code null} when the layer has none. */
    public TokenRouting shown() {
        return shown;
    }

    /** The colour of the cell of {@code token} and {@code expert} as drawn in the heatmap image (ARGB). */
    public int cellArgb(int token, int expert) {
        return image.getPixelReader().getArgb(token, expert);
    }

    /** The weight at the top of the colour scale. */
    public double colourScaleMax() {
        return max;
    }

    /** The read-out of the hovered token, empty when none. */
    public String hoverText() {
        return hoverText;
    }

    /** The centre of the cell of {@code token} and {@code expert} in the control's coordinates, as of the last paint. */
    public double[] cellCentre(int token, int expert) {
        return new double[] {cellsX + (token + 0.5) * cellsW / shown.tokens().size(),
            cellsY + (expert + 0.5) * cellsH / shown.experts()};
    }

    private void refresh() {
        shown = getSkinnable().getMatrices().get(getSkinnable().layerProperty().get());
        if (shown != null && !shown.tokens().isEmpty()) {
            TokenRouting matrix = shown;
            double highest = 0;
            for (double[] row : matrix.weights()) {
                for (double v : row) {
                    highest = Math.max(highest, v);
                }
            }
            max = highest;
            image = HeatmapPainter.fill(image, matrix.tokens().size(), matrix.experts(), matrix::weight, max);
        }
        hoverToken = -1;
        hoverText = "";
        markDirty();
    }

    @Override
    protected void paint(GraphicsContext gc, double width, double height) {
        gc.setFill(HeatmapPainter.BACKGROUND);
        gc.fillRect(0, 0, width, height);
        int layer = getSkinnable().layerProperty().get();
        String title = shown == null ? "Gate weights per token · layer " + layer
                : "Gate weights per token · layer " + layer + " · step " + shown.step();
        HeatmapPainter.title(gc, title, 8, 6);
        gc.setFill(HeatmapPainter.MUTED);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.TOP);
        gc.fillText(hoverText, width - 8, 8);
        if (shown == null || shown.tokens().isEmpty()) {
            gc.setTextAlign(TextAlignment.CENTER);
            gc.setTextBaseline(VPos.CENTER);
            gc.fillText("No token routing captured for layer " + layer, width / 2, height / 2);
            return;
        }
        cellsX = LEFT;
        cellsY = TOP;
        cellsW = Math.max(10, width - LEFT - RIGHT);
        cellsH = Math.max(10, height - TOP - TOKEN_AXIS);
        HeatmapPainter.drawCells(gc, image, cellsX, cellsY, cellsW, cellsH);
        int experts = shown.experts();
        int tokens = shown.tokens().size();
        double rowPitch = cellsH / experts;
        int rowStride = HeatmapPainter.labelStride(rowPitch, 13);
        gc.setFill(HeatmapPainter.TEXT);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.CENTER);
        for (int e = 0; e < experts; e += rowStride) {
            gc.fillText("E" + e, cellsX - 6, cellsY + (e + 0.5) * rowPitch);
        }
        double colPitch = cellsW / tokens;
        int colStride = HeatmapPainter.labelStride(colPitch, 13);
        for (int t = 0; t < tokens; t += colStride) {
            gc.save();
            gc.translate(cellsX + (t + 0.5) * colPitch, cellsY + cellsH + 5);
            gc.rotate(-90);
            gc.setFill(t == hoverToken ? HeatmapPainter.POSITIVE : HeatmapPainter.TEXT);
            gc.fillText(colStride == 1 ? visible(shown.tokens().get(t)) : Integer.toString(t), 0, 0);
            gc.restore();
        }
        if (hoverToken >= 0) {
            gc.setStroke(javafx.scene.paint.Color.WHITE);
            gc.setLineWidth(1.5);
            gc.strokeRect(cellsX + hoverToken * colPitch, cellsY, colPitch, cellsH);
        }
        HeatmapPainter.colorBar(gc, width - RIGHT + 12, cellsY, BAR_WIDTH, cellsH, max, false, 0, "");
    }

    /** Token text with its invisible characters made visible, so a leading space is not lost on the axis. */
    static String visible(String token) {
        String shownText = token.replace(' ', '·').replace("\n", "↵").replace("\t", "→");
        return shownText.length() > 14 ? shownText.substring(0, 13) + "…" : shownText;
    }

    private void hover(MouseEvent event) {
        if (shown == null || shown.tokens().isEmpty() || event.getX() < cellsX || event.getX() >= cellsX + cellsW
                || event.getY() < cellsY || event.getY() >= cellsY + cellsH) {
            setHover(-1);
            return;
        }
        int tokens = shown.tokens().size();
        setHover(Math.min(tokens - 1, (int) ((event.getX() - cellsX) / cellsW * tokens)));
    }

    private void setHover(int token) {
        if (token == hoverToken) {
            return;
        }
        hoverToken = token;
        if (token < 0) {
            hoverText = "";
        } else {
            StringJoiner top = new StringJoiner(" · ");
            for (int e : shown.topExperts(token, getSkinnable().topKProperty().get())) {
                top.add(String.format(Locale.ROOT, "E%d %.3f", e, shown.weight(token, e)));
            }
            hoverText = "\"" + visible(shown.tokens().get(token)) + "\" (#" + token + "): " + top;
        }
        markDirty();
    }
}
