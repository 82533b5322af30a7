package org.r1wb.views.routing;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/** What the inspection canvases share: colours, fonts, the one-pass image fill and the colour bar. */
public final class HeatmapPainter {

    /** Axis labels and titles. */
    public static final Color TEXT = Color.web("#2b2b2b");
    /** Secondary text (units, tick values). */
    public static final Color MUTED = Color.web("#6b6b6b");
    /** Axis lines and frames. */
    public static final Color FRAME = Color.web("#9a9a9a");
    /** The plot background. */
    public static final Color BACKGROUND = Color.WHITE;
    /** Positive bars. */
    public static final Color POSITIVE = Color.web("#2f6db5");
    /** Negative bars. */
    public static final Color NEGATIVE = Color.web("#c8553d");

    private static final Font LABEL = Font.font("System", 11);
    private static final Font TITLE = Font.font("System", FontWeight.BOLD, 13);

    private HeatmapPainter() {
    }

    /** A matrix of values read by column and row. */
    @FunctionalInterface
    public interface Cells {
        double value(int column, int row);
    }

    /**
     * Writes {@code columns × rows} cells into {@code image} (one pixel each, in one pass), coloured by
     * {@link HeatColors} over {@code [0, max]}; returns the image, a new one when the size changed.
     */
    public static WritableImage fill(WritableImage image, int columns, int rows, Cells cells, double max) {
        WritableImage target = image != null && (int) image.getWidth() == columns && (int) image.getHeight() == rows
                ? image : new WritableImage(columns, rows);
        int[] argb = new int[columns * rows];
        double scale = max > 0 ? 1 / max : 0;
        for (int r = 0; r < rows; r++) {
            int offset = r * columns;
            for (int c = 0; c < columns; c++) {
                argb[offset + c] = HeatColors.argb(cells.value(c, r) * scale);
            }
        }
        target.getPixelWriter().setPixels(0, 0, columns, rows, PixelFormat.getIntArgbInstance(), argb, 0, columns);
        return target;
    }

    /** Draws {@code image} stretched over the rectangle, one flat block per cell (no smoothing). */
    public static void drawCells(GraphicsContext gc, WritableImage image, double x, double y, double w, double h) {
        gc.setImageSmoothing(false);
        gc.drawImage(image, x, y, w, h);
        gc.setStroke(FRAME);
        gc.setLineWidth(1);
        gc.strokeRect(Math.floor(x) + 0.5, Math.floor(y) + 0.5, Math.round(w), Math.round(h));
    }

    /**
     * A vertical colour bar from 0 (bottom) to {@code max} (top) with three labelled ticks and, when
     * {@code mark} is within range, a marked reference value (such as the uniform share 1/E).
     */
    public static void colorBar(GraphicsContext gc, double x, double y, double w, double h, double max,
                                boolean percent, double mark, String markLabel) {
        int steps = (int) Math.max(2, h);
        for (int i = 0; i < steps; i++) {
            gc.setFill(argbColor(HeatColors.argb(1 - i / (double) (steps - 1))));
            gc.fillRect(x, y + h * i / steps, w, h / steps + 1);
        }
        gc.setStroke(FRAME);
        gc.setLineWidth(1);
        gc.strokeRect(Math.floor(x) + 0.5, Math.floor(y) + 0.5, Math.round(w), Math.round(h));
        label(gc);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.CENTER);
        for (int i = 0; i <= 2; i++) {
            double value = max * i / 2;
            double ty = y + h - h * i / 2;
            gc.setStroke(FRAME);
            gc.strokeLine(x + w, ty, x + w + 3, ty);
            gc.setFill(MUTED);
            gc.fillText(format(value, percent), x + w + 5, ty);
        }
        if (mark > 0 && mark < max) {
            double ty = y + h - h * mark / max;
            gc.setStroke(Color.WHITE);
            gc.setLineWidth(2);
            gc.strokeLine(x, ty, x + w, ty);
            gc.setLineWidth(1);
            gc.setFill(TEXT);
            gc.fillText(markLabel, x + w + 5, ty);
        }
    }

    /** Sets the small label font. */
    public static void label(GraphicsContext gc) {
        gc.setFont(LABEL);
    }

    /** Draws a bold title at the top-left corner. */
    public static void title(GraphicsContext gc, String text, double x, double y) {
        gc.setFont(TITLE);
        gc.setFill(TEXT);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.TOP);
        gc.fillText(text, x, y);
        gc.setFont(LABEL);
    }

    /** A compact number: a percentage, or 3 significant digits. */
    public static String format(double value, boolean percent) {
        if (percent) {
            return String.format(Locale.ROOT, value * 100 >= 10 ? "%.0f%%" : "%.1f%%", value * 100);
        }
        if (value == 0) {
            return "0";
        }
        double abs = Math.abs(value);
        return abs >= 100 || abs < 0.01 ? String.format(Locale.ROOT, "%.2g", value)
                : String.format(Locale.ROOT, "%.3f", value);
    }

    /** The JavaFX colour of an ARGB int. */
    public static Color argbColor(int argb) {
        return Color.rgb(argb >> 16 & 0xff, argb >> 8 & 0xff, argb & 0xff, (argb >>> 24) / 255.0);
    }

    /** Every how many items to label so that labels {@code pitch} pixels apart stay {@code minGap} apart. */
    public static int labelStride(double pitch, double minGap) {
        if (pitch <= 0) {
            return 1;
        }
        int stride = (int) Math.ceil(minGap / pitch);
        // round strides to 1, 2, 5, 10, 20, 50, … so the labelled indices are round numbers
        int magnitude = 1;
        while (true) {
            for (int step : new int[] {1, 2, 5}) {
                if (step * magnitude >= stride) {
                    return step * magnitude;
                }
            }
            magnitude *= 10;
        }
    }
}
