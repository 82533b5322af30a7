package org.r1wb.views.dashboard;

import javafx.beans.InvalidationListener;
import org.r1wb.views.chart.MetricSeries;

import java.util.Objects;

/**
 * Keeps a shown copy of a raw {@link MetricSeries} under a {@link SeriesTransform}: new raw points are
 * transformed and appended in one batch; a new transform computes a new copy. The raw series keeps every
 * original value (export and tests read it); only the copy is drawn.
 *
 * <p>A new transform yields a new series object rather than clearing and refilling the old one: a chart
 * that tracks how many points of a series it has drawn would take a refill of the same length for "no change".
 */
public final class DisplayedSeries implements AutoCloseable {

    private final MetricSeries raw;
    private MetricSeries shown;
    private final InvalidationListener rawChanged = o -> sync();
    private SeriesTransform transform;
    private SeriesTransform.Running running;
    private int consumed;

    /** Shows {@code raw} under its own name. */
    public DisplayedSeries(MetricSeries raw, SeriesTransform transform) {
        this(raw, raw.name(), transform);
    }

    /** Shows {@code raw} named {@code name} (a compared run's series carries the run's name). */
    public DisplayedSeries(MetricSeries raw, String name, SeriesTransform transform) {
        this.raw = Objects.requireNonNull(raw, "raw");
        this.shown = new MetricSeries(name, raw.style());
        this.transform = Objects.requireNonNull(transform, "transform");
        this.running = transform.start();
        raw.addListener(rawChanged);
        sync();
    }

    /** The data. */
    public MetricSeries raw() {
        return raw;
    }

    /** What the chart draws; a new series after each change of transform. */
    public MetricSeries shown() {
        return shown;
    }

    /** Shows the data under {@code newTransform}: returns whether {@link #shown()} is a new series. */
    public boolean setTransform(SeriesTransform newTransform) {
        if (newTransform.equals(transform)) {
            return false;
        }
        transform = newTransform;
        running = transform.start();
        consumed = 0;
        shown = new MetricSeries(shown.name(), raw.style());
        sync();
        return true;
    }

    @Override
    public void close() {
        raw.removeListener(rawChanged);
    }

    private void sync() {
        if (raw.size() < consumed) {
            running = transform.start();
            consumed = 0;
            shown.clear();
        }
        int added = raw.size() - consumed;
        if (added <= 0) {
            return;
        }
        double[] xs = new double[added];
        double[] ys = new double[added];
        for (int i = 0; i < added; i++) {
            xs[i] = raw.x(consumed + i);
            ys[i] = running.next(raw.y(consumed + i));
        }
        consumed = raw.size();
        shown.appendAll(xs, ys);
    }
}
