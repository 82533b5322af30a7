package org.r1wb.workbench.inspect;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.beans.InvalidationListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.layout.HBox;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.dashboard.DashboardData;
import org.r1wb.views.device.CpuOnly;
import org.r1wb.views.device.DeviceHistory;

import java.util.List;
import java.util.Locale;

/**
 * The headline figures of a run as TilesFX tiles above its dashboard: step, tokens per second, the last training
 * loss (validation loss beside it) and GPU utilisation (the mean over the devices at their last sample, or the
 * CPU-only state with cores and resident memory). Updated once per batch the {@link InspectionModel} applies.
 */
public final class HeadlineTiles extends HBox {

    /** Style class of the row. */
    public static final String STYLE_CLASS = "headline-tiles";

    private final InspectionModel model;
    private final Tile step = tile("Step", "", 0);
    private final Tile throughput = tile("Tokens / s", "", 0);
    private final Tile loss = tile("Loss", "", 4);
    private final Tile gpu = tile("GPU utilisation", "%", 0);

    public HeadlineTiles(InspectionModel model) {
        super(8);
        this.model = model;
        getStyleClass().add(STYLE_CLASS);
        setPadding(new Insets(6, 8, 0, 8));
        getChildren().addAll(step, throughput, loss, gpu);
        InvalidationListener changed = o -> update();
        DashboardData data = model.dashboard();
        for (MetricSeries series : List.of(data.loss(), data.valLoss(), data.tokensPerSecond())) {
            series.addListener(changed);
        }
        // each device's own series grows; the list only when a device first reports
        List<MetricSeries> util = model.devices().series(DeviceHistory.Figure.UTILISATION);
        util.forEach(series -> series.addListener(changed));
        model.devices().series(DeviceHistory.Figure.UTILISATION).addListener((ListChangeListener<MetricSeries>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(series -> series.addListener(changed));
            }
            update();
        });
        model.devices().cpuOnlyProperty().addListener(changed);
        update();
    }

    public Tile stepTile() {
        return step;
    }

    public Tile throughputTile() {
        return throughput;
    }

    public Tile lossTile() {
        return loss;
    }

    public Tile gpuTile() {
        return gpu;
    }

    private void update() {
        DashboardData data = model.dashboard();
        MetricSeries losses = data.loss();
        step.setValue(losses.size() == 0 ? 0 : losses.maxX());
        step.setDescription(losses.size() == 0 ? "no metric yet" : "");
        throughput.setValue(zeroIfNaN(data.tokensPerSecond().lastY()));
        loss.setValue(zeroIfNaN(losses.lastY()));
        double val = data.valLoss().lastY();
        loss.setDescription(Double.isNaN(val) ? "" : String.format(Locale.ROOT, "val %.4f", val));
        CpuOnly cpu = model.devices().cpuOnlyProperty().get();
        List<MetricSeries> util = model.devices().series(DeviceHistory.Figure.UTILISATION);
        if (cpu != null) {
            gpu.setTitle("CPU only");
            gpu.setUnit("cores");
            gpu.setValue(cpu.cores());
            gpu.setDescription(Double.isNaN(cpu.rssMib()) ? "" : String.format(Locale.ROOT, "RSS %.0f MiB", cpu.rssMib()));
        } else {
            gpu.setTitle("GPU utilisation");
            gpu.setUnit("%");
            double sum = 0;
            int devices = 0;
            for (MetricSeries device : util) {
                if (device.size() > 0 && !Double.isNaN(device.lastY())) {
                    sum += device.lastY();
                    devices++;
                }
            }
            gpu.setValue(devices == 0 ? 0 : sum / devices);
            gpu.setDescription(devices == 0 ? "no device event yet" : devices == 1 ? "1 GPU" : "mean of " + devices + " GPUs");
        }
    }

    private static double zeroIfNaN(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static Tile tile(String title, String unit, int decimals) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.NUMBER)
                .title(title)
                .unit(unit)
                .decimals(decimals)
                .minValue(0)
                .maxValue(Double.MAX_VALUE)
                .animated(false)
                // the title's font scales with the tile: a row short enough to leave the charts room needs it bigger
                .textSize(Tile.TextSize.BIGGER)
                .prefSize(210, 104)
                .build();
        tile.getStyleClass().add("headline-tile");
        return tile;
    }
}
