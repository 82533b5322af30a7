package org.r1wb.workbench.recipe;

import javafx.application.Platform;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.r1wb.model.recipe.RecipeRunner;
import org.r1wb.model.recipe.StageKind;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.workbench.run.JournalBatch;
import org.r1wb.workbench.run.JournalReader;
import org.r1wb.workbench.run.JournalTail;
import org.r1wb.workbench.run.RunMonitor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The curves of one recipe stage, folded from the recipe's journal ({@code <runs>/events.jsonl}, every stage's events
 * in one file): the {@code metric} events whose {@value RecipeRunner#STAGE_FIELD} names this stage, one
 * {@link MetricSeries} per numeric field against {@code step}, every point kept. Held-out fields ({@code val_*}) come
 * every k steps and are drawn with markers. Events of other stages, and events without a stage (journals written
 * before the field existed), are passed over.
 *
 * <p>{@link #follow} reads the journal on a background thread and applies its batches on the FX thread, for as long
 * as the model is open: a recipe run appends stage after stage to the same file.
 */
public final class StageCurvesModel implements AutoCloseable {

    private final String stage;
    private final StageKind kind;
    private final Map<String, MetricSeries> byName = new HashMap<>();
    private final ObservableList<MetricSeries> series = FXCollections.observableArrayList();
    private final StringProperty state = new SimpleStringProperty(this, "state", "not run");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final LongProperty step = new SimpleLongProperty(this, "step", -1);
    private final StringProperty problem = new SimpleStringProperty(this, "problem", null);
    private JournalTail tail;
    private long lastSeq;

    /** The curves of stage {@code stage} of kind {@code kind}, empty until events are applied. */
    public StageCurvesModel(String stage, StageKind kind) {
        this.stage = stage;
        this.kind = kind;
    }

    /** Follows {@code journal} (read off the FX thread, applied on it) until {@link #close()}. */
    public void follow(Path journal) {
        close();
        tail = JournalTail.start(new JournalReader(journal), RunMonitor.POLL_PERIOD, Platform::runLater, this::apply,
                batch -> false);
    }

    /** Stops following the journal. */
    @Override
    public void close() {
        if (tail != null) {
            tail.close();
            tail = null;
        }
    }

    /** Folds a batch of the recipe journal's events into the curves; call on the FX thread. */
    public void apply(JournalBatch batch) {
        apply(batch.events());
        if (batch.problem() != null) {
            problem.set(batch.problem());
        }
    }

    /** Folds events of the recipe journal (in seq order) into the curves: each series changes once. */
    public void apply(List<RunEvent> events) {
        Map<MetricSeries, double[][]> points = new LinkedHashMap<>();
        Map<MetricSeries, Integer> sizes = new HashMap<>();
        long newest = step.get();
        for (RunEvent event : events) {
            lastSeq = Math.max(lastSeq, event.seq());
            if (!stage.equals(event.text(RecipeRunner.STAGE_FIELD))) {
                continue;
            }
            if ("status".equals(event.type())) {
                state.set(String.valueOf(event.text("state")));
                message.set(event.text("message") == null ? "" : event.text("message"));
            } else if ("metric".equals(event.type())) {
                double x = event.number("step");
                if (Double.isNaN(x)) {
                    problem.set("event seq " + event.seq() + " (metric of stage " + stage + "): field 'step' is missing");
                    continue;
                }
                newest = Math.max(newest, (long) x);
                for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                    if (field.getValue() instanceof Number value && !field.getKey().equals("step")) {
                        add(points, sizes, series(field.getKey()), x, value.doubleValue());
                    }
                }
            }
        }
        points.forEach((s, xy) -> s.appendAll(Arrays.copyOf(xy[0], sizes.get(s)), Arrays.copyOf(xy[1], sizes.get(s))));
        // last, so that a listener to the step sees every point of the batch
        step.set(newest);
    }

    /** The stage's name. */
    public String stage() {
        return stage;
    }

    public StageKind kind() {
        return kind;
    }

    /** Every series of the stage, in the order their fields first appeared. */
    public ObservableList<MetricSeries> series() {
        return series;
    }

    /** The series of metric {@code name} (created, and listed, on first use). */
    public MetricSeries series(String name) {
        MetricSeries found = byName.get(name);
        if (found == null) {
            found = new MetricSeries(name, name.startsWith("val_") ? MetricSeries.Style.LINE_AND_MARKERS
                    : MetricSeries.Style.LINE);
            byName.put(name, found);
            series.add(found);
        }
        return found;
    }

    /** The stage's last {@code status} state ("running", "finished", …), "not run" before any. */
    public StringProperty stateProperty() {
        return state;
    }

    /** The message of the stage's last {@code status} event. */
    public StringProperty messageProperty() {
        return message;
    }

    /** The highest step the stage reported, -1 before its first metric. */
    public LongProperty stepProperty() {
        return step;
    }

    /** What went wrong reading the journal ({@code file:line: …}), or {@code null}. */
    public StringProperty problemProperty() {
        return problem;
    }

    /** The seq of the last journal event applied, of any stage. */
    public long lastSeq() {
        return lastSeq;
    }

    private static void add(Map<MetricSeries, double[][]> points, Map<MetricSeries, Integer> sizes, MetricSeries s,
                            double x, double y) {
        double[][] xy = points.computeIfAbsent(s, k -> new double[2][16]);
        int size = sizes.getOrDefault(s, 0);
        if (size == xy[0].length) {
            xy[0] = Arrays.copyOf(xy[0], size * 2);
            xy[1] = Arrays.copyOf(xy[1], size * 2);
        }
        xy[0][size] = x;
        xy[1][size] = y;
        sizes.put(s, size + 1);
    }
}
