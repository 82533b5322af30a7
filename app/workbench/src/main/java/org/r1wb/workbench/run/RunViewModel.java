package org.r1wb.workbench.run;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.chart.MetricSeries;

import java.util.Arrays;

/**
 * The state of one run as the run view shows it, folded from its journal's events.
 *
 * <p>Numbers that have not been reported yet are {@code NaN} (or -1 for the step). Properties and
 * series are changed on the FX thread only, by {@link #apply(JournalBatch)}.
 */
public final class RunViewModel {

    private final String runId;
    private final StringProperty stage = new SimpleStringProperty(this, "stage", "");
    private final ObjectProperty<RunState> state = new SimpleObjectProperty<>(this, "state", RunState.UNKNOWN);
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final LongProperty step = new SimpleLongProperty(this, "step", -1);
    private final DoubleProperty loss = new SimpleDoubleProperty(this, "loss", Double.NaN);
    private final DoubleProperty valLoss = new SimpleDoubleProperty(this, "valLoss", Double.NaN);
    private final DoubleProperty learningRate = new SimpleDoubleProperty(this, "learningRate", Double.NaN);
    private final DoubleProperty tokensPerSecond = new SimpleDoubleProperty(this, "tokensPerSecond", Double.NaN);
    private final IntegerProperty checkpoints = new SimpleIntegerProperty(this, "checkpoints", 0);
    private final StringProperty problem = new SimpleStringProperty(this, "problem", null);
    private final BooleanProperty loaded = new SimpleBooleanProperty(this, "loaded", false);
    private final MetricSeries lossSeries = new MetricSeries("loss");
    private final MetricSeries valLossSeries = new MetricSeries("val_loss", MetricSeries.Style.LINE_AND_MARKERS);
    private volatile long lastSeq;

    public RunViewModel(String runId) {
        this.runId = runId;
    }

    /** Folds a batch of journal events into the model; call on the FX thread. */
    public void apply(JournalBatch batch) {
        SeriesBatch trainPoints = new SeriesBatch();
        SeriesBatch valPoints = new SeriesBatch();
        long newest = lastSeq;
        for (RunEvent event : batch.events()) {
            newest = Math.max(newest, event.seq());
            switch (event.type()) {
                case "status" -> {
                    state.set(RunState.of(event.text("state")));
                    String text = event.text("message");
                    message.set(text == null ? "" : text);
                }
                case "metric" -> applyMetric(event, trainPoints, valPoints);
                case "checkpoint" -> checkpoints.set(checkpoints.get() + 1);
                default -> {
                    // routing, eval, device, log: shown by later tool windows
                }
            }
        }
        trainPoints.flushTo(lossSeries);
        valPoints.flushTo(valLossSeries);
        if (batch.problem() != null) {
            problem.set(batch.problem());
        }
        // last, so that a reader who sees the new seq also sees every series it fed
        lastSeq = newest;
    }

    private void applyMetric(RunEvent event, SeriesBatch trainPoints, SeriesBatch valPoints) {
        double eventStep = event.number("step");
        if (Double.isNaN(eventStep)) {
            return;
        }
        step.set(Math.max(step.get(), (long) eventStep));
        double trainLoss = event.number("loss");
        if (!Double.isNaN(trainLoss)) {
            trainPoints.add(eventStep, trainLoss);
            loss.set(trainLoss);
        }
        double validation = event.number("val_loss");
        if (!Double.isNaN(validation)) {
            valPoints.add(eventStep, validation);
            valLoss.set(validation);
        }
        double lr = event.number("lr");
        if (!Double.isNaN(lr)) {
            learningRate.set(lr);
        }
        double throughput = event.number("tokens_per_s");
        if (!Double.isNaN(throughput)) {
            tokensPerSecond.set(throughput);
        }
    }

    public String runId() {
        return runId;
    }

    /** The seq of the last event applied. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Training loss against step, every point of the journal. */
    public MetricSeries lossSeries() {
        return lossSeries;
    }

    /** Validation loss against step. */
    public MetricSeries valLossSeries() {
        return valLossSeries;
    }

    /** The training stage named in {@code run.json} (pretrain, sft, grpo, …), empty when not given. */
    public StringProperty stageProperty() {
        return stage;
    }

    public ObjectProperty<RunState> stateProperty() {
        return state;
    }

    /** The message of the last status event. */
    public StringProperty messageProperty() {
        return message;
    }

    /** The highest step reported, -1 before the first metric. */
    public LongProperty stepProperty() {
        return step;
    }

    /** The last training loss reported. */
    public DoubleProperty lossProperty() {
        return loss;
    }

    /** The last validation loss reported. */
    public DoubleProperty valLossProperty() {
        return valLoss;
    }

    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    public DoubleProperty tokensPerSecondProperty() {
        return tokensPerSecond;
    }

    /** How many checkpoints the run has written. */
    public IntegerProperty checkpointsProperty() {
        return checkpoints;
    }

    /** What went wrong reading the run ({@code file:line: …}), or {@code null}. */
    public StringProperty problemProperty() {
        return problem;
    }

    /** True once the initial journal has been read (successfully or not). */
    public BooleanProperty loadedProperty() {
        return loaded;
    }

    /** Points gathered for one series during a batch, appended in one go so the chart redraws once. */
    private static final class SeriesBatch {
        private double[] xs = new double[16];
        private double[] ys = new double[16];
        private int size;

        void add(double x, double y) {
            if (size == xs.length) {
                xs = Arrays.copyOf(xs, size * 2);
                ys = Arrays.copyOf(ys, size * 2);
            }
            xs[size] = x;
            ys[size] = y;
            size++;
        }

        void flushTo(MetricSeries series) {
            series.appendAll(Arrays.copyOf(xs, size), Arrays.copyOf(ys, size));
        }
    }
}
