package org.r1wb.views.routing;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Control;
import javafx.scene.control.SkinBase;

/**
 * A skin that paints its control on one {@link Canvas} sized to the control: no node per cell, so a
 * 64 × 4096 heatmap costs one image and a few draw calls.
 *
 * <p>Changes only mark the skin dirty and request a layout; the painting happens in the next layout
 * pass, so any number of changes between two pulses cost one repaint (a view that falls behind a fast
 * stream coalesces instead of queueing work). Subclasses add their listeners in the constructor and
 * remove them in {@link #dispose()}.
 */
public abstract class CanvasSkin<C extends Control> extends SkinBase<C> {

    private final Canvas canvas = new Canvas();
    private boolean dirty = true;
    private long paints;

    protected CanvasSkin(C control) {
        super(control);
        getChildren().add(canvas);
        consumeMouseEvents(false);
    }

    /** The canvas painted on (for subclasses' mouse handlers and for tests). */
    public Canvas canvas() {
        return canvas;
    }

    /** How many times the skin has painted: lets tests and benchmarks see coalescing. */
    public long paints() {
        return paints;
    }

    /** Asks for a repaint on the next layout pass. */
    protected final void markDirty() {
        dirty = true;
        getSkinnable().requestLayout();
    }

    /** Paints now if anything changed: for benchmarks that time one repaint outside a pulse. */
    public final void paintNow() {
        if (dirty) {
            dirty = false;
            paints++;
            GraphicsContext gc = canvas.getGraphicsContext2D();
            gc.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            paint(gc, canvas.getWidth(), canvas.getHeight());
        }
    }

    /** Paints the whole control on {@code gc}, {@code width} × {@code height} pixels. */
    protected abstract void paint(GraphicsContext gc, double width, double height);

    @Override
    protected void layoutChildren(double x, double y, double w, double h) {
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            dirty = true;
        }
        canvas.relocate(x, y);
        paintNow();
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return 640 + left + right;
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 400 + top + bottom;
    }

    @Override
    protected double computeMinWidth(double height, double top, double right, double bottom, double left) {
        return 120;
    }

    @Override
    protected double computeMinHeight(double width, double top, double right, double bottom, double left) {
        return 80;
    }
}
