package org.r1wb.views.chart;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named, growing series of {@code (x, y)} points, for example training loss against step.
 *
 * <p>Keeps every point it is given; how many are drawn is the chart's business (see
 * {@link PixelDecimation}). Points live in primitive arrays so that a million-step run costs 16 MB, not a
 * million objects. Not thread-safe: mutate it on the FX thread, one batch per {@link #appendAll}.
 */
public final class MetricSeries implements Observable {

    /** How a series is drawn. */
    public enum Style {
        /** A line through the points (dense series such as per-step loss). */
        LINE,
        /** A line plus a marker at each point (sparse series such as validation loss). */
        LINE_AND_MARKERS
    }

    private static final int INITIAL_CAPACITY = 256;

    private final String name;
    private final Style style;
    private final List<InvalidationListener> listeners = new ArrayList<>();
    private double[] xs = new double[INITIAL_CAPACITY];
    private double[] ys = new double[INITIAL_CAPACITY];
    private int size;
    private long generation;
    private double minX = Double.NaN;
    private double maxX = Double.NaN;

    /** A series drawn as a plain line. */
    public MetricSeries(String name) {
        this(name, Style.LINE);
    }

    public MetricSeries(String name, Style style) {
        this.name = Objects.requireNonNull(name, "name");
        this.style = Objects.requireNonNull(style, "style");
    }

    /** The legend name. */
    public String name() {
        return name;
    }

    public Style style() {
        return style;
    }

    /** The number of points held (all of them, not the number drawn). */
    public int size() {
        return size;
    }

    public double x(int index) {
        return xs[Objects.checkIndex(index, size)];
    }

    public double y(int index) {
        return ys[Objects.checkIndex(index, size)];
    }

    /** The y value of the last point, or {@code NaN} when empty. */
    public double lastY() {
        return size == 0 ? Double.NaN : ys[size - 1];
    }

    /** The smallest x value held, or {@code NaN} when empty. */
    public double minX() {
        return minX;
    }

    /** The largest x value held, or {@code NaN} when empty. */
    public double maxX() {
        return maxX;
    }

    /** Appends one point and notifies listeners. */
    public void append(double x, double y) {
        appendAll(new double[] {x}, new double[] {y});
    }

    /** Appends a batch of points (equal-length arrays) and notifies listeners once. */
    public void appendAll(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        if (x.length == 0) {
            return;
        }
        ensureCapacity(size + x.length);
        System.arraycopy(x, 0, xs, size, x.length);
        System.arraycopy(y, 0, ys, size, y.length);
        for (double value : x) {
            // NaN-safe: the first comparison against NaN is false, so NaN bounds are replaced
            minX = value < minX || Double.isNaN(minX) ? value : minX;
            maxX = value > maxX || Double.isNaN(maxX) ? value : maxX;
        }
        size += x.length;
        fireInvalidated();
    }

    /** Removes every point and notifies listeners. */
    public void clear() {
        reset();
        fireInvalidated();
    }

    /** Replaces every point with these (equal-length arrays) and notifies listeners once. */
    public void replaceAll(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        reset();
        appendAll(x, y);
        if (x.length == 0) {
            fireInvalidated();
        }
    }

    /**
     * Counts the times the points were cleared or replaced: a reader that drew the first {@code n} points
     * may add the rest only while this stays the same (the size alone cannot tell a replaced series from an
     * unchanged one).
     */
    public long generation() {
        return generation;
    }

    private void reset() {
        size = 0;
        minX = Double.NaN;
        maxX = Double.NaN;
        generation++;
    }

    /** The backing x array, valid up to {@link #size()}: the skin decimates it without copying. */
    double[] xsView() {
        return xs;
    }

    /** The backing y array, valid up to {@link #size()}: the skin decimates it without copying. */
    double[] ysView() {
        return ys;
    }

    @Override
    public void addListener(InvalidationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(InvalidationListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "MetricSeries[" + name + ", " + size + " points]";
    }

    private void ensureCapacity(int needed) {
        if (needed > xs.length) {
            int capacity = Math.max(needed, xs.length * 2);
            xs = Arrays.copyOf(xs, capacity);
            ys = Arrays.copyOf(ys, capacity);
        }
    }

    private void fireInvalidated() {
        // copy: a listener may remove itself while being notified
        for (InvalidationListener listener : List.copyOf(listeners)) {
            listener.invalidated(this);
        }
    }
}
