package org.r1wb.views.dashboard;

import org.r1wb.views.chart.MetricSeries;

import java.util.List;
import java.util.function.Function;

/** The charts of the run dashboard, in reading order, and which series each one draws. */
public enum DashboardPanel {
    LOSS("Loss", "loss", true, d -> List.of(d.loss(), d.valLoss())),
    LEARNING_RATE("Learning rate", "lr", false, d -> List.of(d.learningRate())),
    GRAD_NORM("Gradient norm", "‖g‖", true, d -> List.of(d.gradNorm())),
    THROUGHPUT("Throughput", "tokens/s", true, d -> List.of(d.tokensPerSecond())),
    AUX_LOSS("Balance (aux) loss", "aux loss", true, d -> List.of(d.auxLoss())),
    ROUTER_ENTROPY("Router entropy per layer", "nats", false, DashboardData::entropySeries);

    private final String title;
    private final String unit;
    private final boolean smoothed;
    private final Function<DashboardData, List<MetricSeries>> series;

    DashboardPanel(String title, String unit, boolean smoothed, Function<DashboardData, List<MetricSeries>> series) {
        this.title = title;
        this.unit = unit;
        this.smoothed = smoothed;
        this.series = series;
    }

    public String title() {
        return title;
    }

    /** The y axis label on a linear scale. */
    public String unit() {
        return unit;
    }

    /**
     * Whether the smoothing control applies: noisy per-step series are smoothed; the schedule (lr) and the
     * sparse per-interval entropy are drawn as they are.
     */
    public boolean smoothed() {
        return smoothed;
    }

    /** The raw series this panel draws from {@code data}. */
    public List<MetricSeries> series(DashboardData data) {
        return series.apply(data);
    }
}
