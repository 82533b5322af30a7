package org.r1wb.workbench.inspect;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.attention.AttentionMap;
import org.r1wb.views.attention.AttentionSet;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.dashboard.DashboardData;
import org.r1wb.views.device.CpuOnly;
import org.r1wb.views.device.DeviceHistory;
import org.r1wb.views.device.DeviceSample;
import org.r1wb.views.routing.RoutingHistory;
import org.r1wb.views.routing.RoutingSample;
import org.r1wb.views.routing.TokenRouting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the inspection views of one run show, folded from its journal's events: the dashboard's series,
 * the routing history, the probe's token routing and attention, the device telemetry.
 *
 * <p>{@link #apply} takes a batch and changes each series once, so a batch of thousands of events costs
 * each chart one redraw. A malformed event is skipped and named in {@link #problemProperty()}; the rest of
 * the batch still applies. Call on the FX thread.
 */
public final class InspectionModel {

    private final DashboardData dashboard = new DashboardData();
    private final RoutingHistory routing = new RoutingHistory();
    private final ObservableMap<Integer, TokenRouting> tokenRouting = FXCollections.observableHashMap();
    private final AttentionSet attention = new AttentionSet();
    private final DeviceHistory devices = new DeviceHistory();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private long lastSeq;
    private long applied;

    /** The scalar series. */
    public DashboardData dashboard() {
        return dashboard;
    }

    /** Every {@code routing} event, by layer. */
    public RoutingHistory routing() {
        return routing;
    }

    /** The latest {@code routing_tokens} matrix of each layer. */
    public ObservableMap<Integer, TokenRouting> tokenRouting() {
        return tokenRouting;
    }

    /** The latest {@code attention} capture of each layer and head. */
    public AttentionSet attention() {
        return attention;
    }

    /** The {@code device} telemetry. */
    public DeviceHistory devices() {
        return devices;
    }

    /** The last malformed event met, {@code null} when none. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The seq of the last event applied. */
    public long lastSeq() {
        return lastSeq;
    }

    /** How many events have been applied in all. */
    public long appliedEvents() {
        return applied;
    }

    /** Folds {@code events} (in seq order) into the model. */
    public void apply(List<RunEvent> events) {
        Points points = new Points();
        List<RoutingSample> routingSamples = new ArrayList<>();
        Map<Integer, TokenRouting> tokens = new LinkedHashMap<>();
        List<AttentionMap> maps = new ArrayList<>();
        List<DeviceSample> deviceSamples = new ArrayList<>();
        CpuOnly cpu = null;
        for (RunEvent event : events) {
            lastSeq = Math.max(lastSeq, event.seq());
            applied++;
            try {
                switch (event.type()) {
                    case "metric" -> metric(event, points);
                    case "routing" -> {
                        RoutingSample sample = routingSample(event);
                        routingSamples.add(sample);
                        points.add(dashboard.entropy(sample.layer()), sample.step(), sample.entropy());
                    }
                    case "routing_tokens" -> {
                        TokenRouting matrix = new TokenRouting((long) event.number("step"), EventFields.integer(event, "layer"),
                                EventFields.strings(event, "tokens"), EventFields.matrix(event, "weights"));
                        tokens.put(matrix.layer(), matrix);
                    }
                    case "attention" -> maps.add(new AttentionMap((long) event.number("step"),
                            EventFields.integer(event, "layer"), EventFields.integer(event, "head"),
                            EventFields.strings(event, "tokens"), EventFields.matrix(event, "weights")));
                    case "device" -> {
                        if ("no-gpu".equals(event.text("state"))) {
                            double cores = event.number("cores");
                            cpu = new CpuOnly(String.valueOf(event.text("reason")), Double.isNaN(cores) ? 0 : (int) cores,
                                    event.number("rss_mib"));
                        } else {
                            deviceSamples.add(new DeviceSample(event.t(), EventFields.integer(event, "index"),
                                    String.valueOf(event.text("name")), event.number("util"), event.number("mem_used_mib"),
                                    event.number("mem_total_mib"), event.number("temp_c"), event.number("power_w")));
                        }
                    }
                    default -> {
                        // status, log, checkpoint, eval: the run view and the eval views show them
                    }
                }
            } catch (IllegalArgumentException e) {
                problem.set(e.getMessage());
            }
        }
        points.flush();
        routing.addAll(routingSamples);
        tokenRouting.putAll(tokens);
        attention.putAll(maps);
        devices.addAll(deviceSamples);
        if (cpu != null && devices.devices().isEmpty()) {
            devices.cpuOnlyProperty().set(cpu);
        }
    }

    private void metric(RunEvent event, Points points) {
        double step = event.number("step");
        if (Double.isNaN(step)) {
            throw new IllegalArgumentException("event seq " + event.seq() + " (metric): field 'step' is missing");
        }
        points.add(dashboard.loss(), step, event.number("loss"));
        points.add(dashboard.valLoss(), step, event.number("val_loss"));
        points.add(dashboard.learningRate(), step, event.number("lr"));
        points.add(dashboard.gradNorm(), step, event.number("grad_norm"));
        points.add(dashboard.tokensPerSecond(), step, event.number("tokens_per_s"));
        points.add(dashboard.auxLoss(), step, event.number("aux_loss"));
    }

    private static RoutingSample routingSample(RunEvent event) {
        double[] bias = event.fields().containsKey("bias") ? EventFields.vector(event, "bias") : new double[0];
        return new RoutingSample((long) event.number("step"), EventFields.integer(event, "layer"),
                EventFields.vector(event, "load"), event.number("cv"), event.number("entropy"), bias);
    }

    /** The points of a batch per series, appended in one go so each chart redraws once. */
    private static final class Points {
        private final Map<MetricSeries, double[][]> pending = new HashMap<>();
        private final Map<MetricSeries, Integer> sizes = new LinkedHashMap<>();

        void add(MetricSeries series, double x, double y) {
            if (Double.isNaN(y)) {
                return;
            }
            double[][] xy = pending.computeIfAbsent(series, s -> new double[2][16]);
            int size = sizes.getOrDefault(series, 0);
            if (size == xy[0].length) {
                xy[0] = Arrays.copyOf(xy[0], size * 2);
                xy[1] = Arrays.copyOf(xy[1], size * 2);
                pending.put(series, xy);
            }
            xy[0][size] = x;
            xy[1][size] = y;
            sizes.put(series, size + 1);
        }

        void flush() {
            sizes.forEach((series, size) -> {
                double[][] xy = pending.get(series);
                series.appendAll(Arrays.copyOf(xy[0], size), Arrays.copyOf(xy[1], size));
            });
        }
    }
}
