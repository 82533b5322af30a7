package org.r1wb.views.device;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.r1wb.views.chart.MetricSeries;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device telemetry of a run as chart series: one series per device for each {@link Figure}, x in
 * minutes since the first sample. A run that reports no GPU holds a {@link CpuOnly} state instead.
 * Change it on the FX thread.
 */
public final class DeviceHistory {

    /** The figures drawn, one chart each. */
    public enum Figure {
        UTILISATION("GPU utilisation", "%"),
        MEMORY("Memory used", "GiB"),
        TEMPERATURE("Temperature", "°C"),
        POWER("Power", "W");

        private final String title;
        private final String unit;

        Figure(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }

        public String title() {
            return title;
        }

        public String unit() {
            return unit;
        }
    }

    private static final double MIB_PER_GIB = 1024;
    private static final double MILLIS_PER_MINUTE = 60_000;

    private final Map<Figure, ObservableList<MetricSeries>> series = new TreeMap<>();
    private final Map<Integer, MetricSeries[]> byDevice = new TreeMap<>();
    private final Map<Integer, String> names = new TreeMap<>();
    private final ObjectProperty<CpuOnly> cpuOnly = new SimpleObjectProperty<>(this, "cpuOnly");
    private long firstMillis = -1;

    public DeviceHistory() {
        for (Figure figure : Figure.values()) {
            series.put(figure, FXCollections.observableArrayList());
        }
    }

    /** Adds a batch of samples; each series is appended to once. */
    public void addAll(Collection<DeviceSample> samples) {
        Map<MetricSeries, List<double[]>> points = new LinkedHashMap<>();
        for (DeviceSample sample : samples) {
            if (firstMillis < 0) {
                firstMillis = sample.timeMillis();
            }
            double minutes = (sample.timeMillis() - firstMillis) / MILLIS_PER_MINUTE;
            MetricSeries[] device = byDevice.computeIfAbsent(sample.index(), i -> newDevice(i, sample.name()));
            double[] values = {sample.utilPercent(), sample.memUsedMib() / MIB_PER_GIB, sample.tempC(), sample.powerW()};
            for (Figure figure : Figure.values()) {
                points.computeIfAbsent(device[figure.ordinal()], s -> new ArrayList<>())
                        .add(new double[] {minutes, values[figure.ordinal()]});
            }
        }
        if (!samples.isEmpty()) {
            cpuOnly.set(null);
        }
        points.forEach((s, list) -> s.appendAll(list.stream().mapToDouble(p -> p[0]).toArray(),
                list.stream().mapToDouble(p -> p[1]).toArray()));
    }

    /** The series of one figure, one per device, in device order. */
    public ObservableList<MetricSeries> series(Figure figure) {
        return series.get(figure);
    }

    /** The devices seen, index to name. */
    public Map<Integer, String> devices() {
        return Collections.unmodifiableMap(new TreeMap<>(names));
    }

    /** The CPU-only state, {@code null} while a GPU reports (or nothing has reported yet). */
    public ObjectProperty<CpuOnly> cpuOnlyProperty() {
        return cpuOnly;
    }

    private MetricSeries[] newDevice(int index, String name) {
        names.put(index, name);
        MetricSeries[] device = new MetricSeries[Figure.values().length];
        for (Figure figure : Figure.values()) {
            device[figure.ordinal()] = new MetricSeries("GPU " + index);
            series.get(figure).add(device[figure.ordinal()]);
        }
        return device;
    }
}
