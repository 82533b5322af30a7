package org.r1wb.views.chart;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

import java.util.Arrays;

/**
 * Draws dense lines into a pixel buffer, one vertical span per pixel column a segment crosses, then hands
 * the buffer to the canvas as one image.
 *
 * <p>A series with more points than the plot has columns is, once decimated, mostly vertical strokes
 * within columns; a vector rasteriser spends most of a frame on those, while spans cost one pass over the
 * pixels they cover. Sparse series keep vector (antialiased) lines.
 */
final class SpanRaster {

    private final int width;
    private final int height;
    /** Premultiplied BGRA bytes, the image's own format: handing them over is a copy, not a conversion. */
    private final byte[] bgra;
    private final WritableImage image;
    /** Per column, the highest and lowest row the current line covers (top &gt; bottom: none). */
    private final double[] top;
    private final double[] bottom;

    SpanRaster(int width, int height) {
        this.width = width;
        this.height = height;
        this.bgra = new byte[4 * width * height];
        this.top = new double[width];
        this.bottom = new double[width];
        Arrays.fill(top, Double.POSITIVE_INFINITY);
        Arrays.fill(bottom, Double.NEGATIVE_INFINITY);
        this.image = new WritableImage(width, height);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    void clear() {
        Arrays.fill(bgra, (byte) 0);
    }

    /**
     * Adds the segment from {@code (x0, y0)} to {@code (x1, y1)} (pixels, may lie outside) to the line being
     * drawn: each column it crosses is to be covered over the rows it spans there.
     */
    void segment(double x0, double y0, double x1, double y1) {
        if (x1 < x0) {
            segment(x1, y1, x0, y0);
            return;
        }
        int first = Math.max(0, (int) Math.floor(x0));
        int last = Math.min(width - 1, (int) Math.floor(x1));
        double slope = x1 > x0 ? (y1 - y0) / (x1 - x0) : 0;
        for (int c = first; c <= last; c++) {
            double ya = x1 > x0 ? y0 + (Math.max(x0, c) - x0) * slope : y0;
            double yb = x1 > x0 ? y0 + (Math.min(x1, c + 1) - x0) * slope : y1;
            top[c] = Math.min(top[c], Math.min(ya, yb));
            bottom[c] = Math.max(bottom[c], Math.max(ya, yb));
        }
    }

    /**
     * Paints the segments added since the last call, {@code thickness} pixels high in each column, and starts a
     * new line. One span per column however many segments cross it: dense lines cost the pixels they cover once.
     */
    void paintLine(Color colour, double opacity, double thickness) {
        double half = Math.max(0, thickness - 1) / 2;
        double alpha = colour.getOpacity() * opacity;
        int a = (int) Math.round(255 * alpha);
        byte b = (byte) Math.round(255 * colour.getBlue() * alpha);
        byte g = (byte) Math.round(255 * colour.getGreen() * alpha);
        byte r = (byte) Math.round(255 * colour.getRed() * alpha);
        int keep = 255 - a;
        for (int c = 0; c < width; c++) {
            if (top[c] > bottom[c]) {
                continue;
            }
            int from = Math.max(0, (int) Math.floor(top[c] - half));
            int to = Math.min(height - 1, (int) Math.floor(bottom[c] + half));
            for (int row = from; row <= to; row++) {
                int i = 4 * (row * width + c);
                if (keep == 0) {
                    bgra[i] = b;
                    bgra[i + 1] = g;
                    bgra[i + 2] = r;
                    bgra[i + 3] = (byte) 255;
                } else {
                    // source-over on premultiplied values
                    bgra[i] = (byte) ((b & 0xff) + (bgra[i] & 0xff) * keep / 255);
                    bgra[i + 1] = (byte) ((g & 0xff) + (bgra[i + 1] & 0xff) * keep / 255);
                    bgra[i + 2] = (byte) ((r & 0xff) + (bgra[i + 2] & 0xff) * keep / 255);
                    bgra[i + 3] = (byte) (a + (bgra[i + 3] & 0xff) * keep / 255);
                }
            }
        }
        Arrays.fill(top, Double.POSITIVE_INFINITY);
        Arrays.fill(bottom, Double.NEGATIVE_INFINITY);
    }

    /** The pixels drawn so far, as an image (the same image each time, rewritten). */
    WritableImage toImage() {
        image.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getByteBgraPreInstance(), bgra, 0, 4 * width);
        return image;
    }
}
