package org.r1wb.views.dashboard;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.r1wb.views.chart.MetricSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scalar series of one run that the dashboard draws, every point kept: training and validation loss,
 * learning rate, gradient norm, throughput, the auxiliary (balance) loss and the router entropy of each
 * MoE layer. Change it on the FX thread.
 */
public final class DashboardData {

    private final MetricSeries loss = new MetricSeries("loss");
    private final MetricSeries valLoss = new MetricSeries("val_loss", MetricSeries.Style.LINE_AND_MARKERS);
    private final MetricSeries learningRate = new MetricSeries("lr");
    private final MetricSeries gradNorm = new MetricSeries("grad_norm");
    private final MetricSeries tokensPerSecond = new MetricSeries("tokens_per_s");
    private final MetricSeries auxLoss = new MetricSeries("aux_loss");
    private final Map<Integer, MetricSeries> entropyByLayer = new TreeMap<>();
    private final ObservableList<MetricSeries> entropy = FXCollections.observableArrayList();

    public MetricSeries loss() {
        return loss;
    }

    public MetricSeries valLoss() {
        return valLoss;
    }

    public MetricSeries learningRate() {
        return learningRate;
    }

    public MetricSeries gradNorm() {
        return gradNorm;
    }

    public MetricSeries tokensPerSecond() {
        return tokensPerSecond;
    }

    public MetricSeries auxLoss() {
        return auxLoss;
    }

    /** The router entropy series of {@code layer}, created (and listed) on first use. */
    public MetricSeries entropy(int layer) {
        MetricSeries series = entropyByLayer.get(layer);
        if (series == null) {
            series = new MetricSeries("entropy L" + layer);
            entropyByLayer.put(layer, series);
            entropy.setAll(entropyByLayer.values());
        }
        return series;
    }

    /** The router entropy series, one per layer in layer order. */
    public ObservableList<MetricSeries> entropySeries() {
        return entropy;
    }

    /** Every series, in export order. */
    public List<MetricSeries> all() {
        List<MetricSeries> all = new ArrayList<>(List.of(loss, valLoss, learningRate, gradNorm, tokensPerSecond, auxLoss));
        all.addAll(entropy);
        return all;
    }
}
