package org.r1wb.views.chart;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

import java.util.Arrays;

/**
 * Draws dense lines into a pixel buffer, one vertical span per pixel column a line covers ({@link LineSpans}), then
 * hands the buffer to the canvas as one image.
 *
 * <p>A series with more points than the plot has columns is, once decimated, mostly vertical strokes
 * within columns; a vector rasteriser spends most of a frame on those, while spans cost one pass over the
 * pixels they cover. The buffer is kept between redraws, so a redraw after a few new points repaints and
 * uploads only the columns they changed. Sparse series keep vector (antialiased) lines.
 */
final class SpanRaster {

    private final int width;
    private final int height;
    /** Premultiplied BGRA bytes, the image's own format: handing them over is a copy, not a conversion. */
    private final byte[] bgra;
    private final WritableImage image;

    SpanRaster(int width, int height) {
        this.width = width;
        this.height = height;
        this.bgra = new byte[4 * width * height];
        this.image = new WritableImage(width, height);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Makes the columns from {@code from} on transparent. */
    void clearFrom(int from) {
        if (from >= width) {
            return;
        }
        for (int row = 0; row < height; row++) {
            Arrays.fill(bgra, 4 * (row * width + from), 4 * (row + 1) * width, (byte) 0);
        }
    }

    /**
     * Paints a line's spans in the columns from {@code from} on, {@code thickness} pixels high in each column, over
     * what is there: one span per column however many segments cross it.
     */
    void paint(LineSpans spans, int from, Color colour, double opacity, double thickness) {
        double half = Math.max(0, thickness - 1) / 2;
        double alpha = colour.getOpacity() * opacity;
        int a = (int) Math.round(255 * alpha);
        byte b = (byte) Math.round(255 * colour.getBlue() * alpha);
        byte g = (byte) Math.round(255 * colour.getGreen() * alpha);
        byte r = (byte) Math.round(255 * colour.getRed() * alpha);
        int keep = 255 - a;
        for (int c = Math.max(0, from); c < width; c++) {
            double top = spans.top(c);
            double bottom = spans.bottom(c);
            if (top > bottom) {
                continue;
            }
            int first = Math.max(0, (int) Math.floor(top - half));
            int last = Math.min(height - 1, (int) Math.floor(bottom + half));
            for (int row = first; row <= last; row++) {
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
    }

    /** The pixels as an image (the same image each time), its columns from {@code from} on rewritten. */
    WritableImage toImage(int from) {
        if (from < width) {
            image.getPixelWriter().setPixels(from, 0, width - from, height, PixelFormat.getByteBgraPreInstance(),
                    bgra, 4 * from, 4 * width);
        }
        return image;
    }
}
