package org.r1wb.workbench.eval;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.views.chart.MetricSeries;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One metric of one task across a run's checkpoints, by step: the chart's series, recomputed whenever
 * the table, the run or the metric changes. Change it on the FX thread only.
 */
public final class MetricTrendModel {

    /** A task and one of its metrics, as the chart's chooser lists them. */
    public record TaskMetric(String task, String metric) {
        @Override
        public String toString() {
            return task + " · " + metric;
        }
    }

    private final ObservableList<String> runChoices = FXCollections.observableArrayList();
    private final ObservableList<TaskMetric> metricChoices = FXCollections.observableArrayList();
    private final ObjectProperty<String> run = new SimpleObjectProperty<>(this, "run");
    private final ObjectProperty<TaskMetric> metric = new SimpleObjectProperty<>(this, "metric");
    private final MetricSeries series = new MetricSeries("value", MetricSeries.Style.LINE_AND_MARKERS);
    private final MetricSeries upper = new MetricSeries("+1 s.e.");
    private final MetricSeries lower = new MetricSeries("−1 s.e.");
    private ResultsTable table = ResultsTable.empty();

    MetricTrendModel() {
        run.addListener((obs, old, now) -> redraw());
        metric.addListener((obs, old, now) -> redraw());
    }

    /** Offers the runs and metrics of a freshly read table, keeping the current choice where it still exists. */
    void offer(ResultsTable read) {
        table = read;
        runChoices.setAll(read.columns().stream().map(EvaluatedCheckpoint::run).distinct().toList());
        metricChoices.setAll(read.rows().stream().map(r -> new TaskMetric(r.task(), r.metric())).toList());
        if (run.get() == null || !runChoices.contains(run.get())) {
            // the run with the most evaluated checkpoints makes the most telling first chart
            run.set(runChoices.stream().max(Comparator.comparingLong(r -> read.columns().stream()
                    .filter(c -> c.run().equals(r)).count())).orElse(null));
        }
        if (metric.get() == null || !metricChoices.contains(metric.get())) {
            metric.set(metricChoices.isEmpty() ? null : metricChoices.get(0));
        }
        redraw();
    }

    private void redraw() {
        List<double[]> points = new ArrayList<>();
        TaskMetric chosen = metric.get();
        ComparisonTable.Row row = chosen == null ? null : table.row(chosen.task(), chosen.metric()).orElse(null);
        for (int column = 0; row != null && column < table.columns().size(); column++) {
            EvaluatedCheckpoint checkpoint = table.columns().get(column);
            EvalCache.StoredResult cell = row.cells().get(column);
            if (cell != null && checkpoint.run().equals(run.get())) {
                points.add(new double[] {checkpoint.step(), cell.value(), cell.stderr()});
            }
        }
        points.sort(Comparator.comparingDouble(p -> p[0]));
        double[] steps = points.stream().mapToDouble(p -> p[0]).toArray();
        series.replaceAll(steps, points.stream().mapToDouble(p -> p[1]).toArray());
        upper.replaceAll(steps, points.stream().mapToDouble(p -> p[1] + p[2]).toArray());
        lower.replaceAll(steps, points.stream().mapToDouble(p -> p[1] - p[2]).toArray());
    }

    /** The runs with evaluated checkpoints. */
    public ObservableList<String> runChoices() {
        return runChoices;
    }

    /** Every task and metric of the table. */
    public ObservableList<TaskMetric> metricChoices() {
        return metricChoices;
    }

    /** The run whose checkpoints are charted. */
    public ObjectProperty<String> runProperty() {
        return run;
    }

    /** The task and metric charted. */
    public ObjectProperty<TaskMetric> metricProperty() {
        return metric;
    }

    /** The metric's value at each evaluated checkpoint of the run, by step. */
    public MetricSeries series() {
        return series;
    }

    /** Value plus and minus one standard error, drawn as a band around {@link #series()}. */
    public List<MetricSeries> band() {
        return List.of(upper, lower);
    }
}
