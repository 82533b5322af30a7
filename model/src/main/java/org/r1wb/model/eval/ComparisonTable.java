package org.r1wb.model.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stored results of several checkpoints side by side, the one table {@code r1wb eval compare} prints and the
 * workbench shows: one row per task and metric (in the order first met, column by column), one column per
 * checkpoint, the best cells of each row marked by the metric's {@link MetricDirection}.
 *
 * <p>Ties: every cell whose value equals the row's best is best, so checkpoints that score the same are marked
 * alike (a row where all agree marks all). A row with fewer than two values marks none: nothing was compared.
 * NaN is never best.
 *
 * @param columns how many checkpoints were compared; cells are keyed by their index
 * @param rows    one per task and metric
 */
public record ComparisonTable(int columns, List<Row> rows) {

    /**
     * One task and metric across the columns.
     *
     * @param cells by column index; absent where that checkpoint has no result for the task
     * @param best  the columns holding the best value (see the class comment for ties)
     */
    public record Row(String task, String metric, MetricDirection direction, Map<Integer, EvalCache.StoredResult> cells,
                      Set<Integer> best) {

        public Row {
            cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
            best = Collections.unmodifiableSet(new LinkedHashSet<>(best));
        }

        /** The cell of {@code column}, if that checkpoint has a result. */
        public Optional<EvalCache.StoredResult> cell(int column) {
            return Optional.ofNullable(cells.get(column));
        }

        /** Whether {@code column} holds a best value of the row. */
        public boolean isBest(int column) {
            return best.contains(column);
        }
    }

    public ComparisonTable {
        rows = List.copyOf(rows);
    }

    /** The table of {@code results}, one list per column (a checkpoint's stored results). */
    public static ComparisonTable of(List<List<EvalCache.StoredResult>> results) {
        Map<String, Map<Integer, EvalCache.StoredResult>> cells = new LinkedHashMap<>();
        for (int column = 0; column < results.size(); column++) {
            for (EvalCache.StoredResult result : results.get(column)) {
                // NUL cannot occur in a task or metric name, so the pair is unambiguous
                cells.computeIfAbsent(result.task() + '\u0000' + result.metric(), k -> new LinkedHashMap<>())
                        .put(column, result);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map<Integer, EvalCache.StoredResult> row : cells.values()) {
            EvalCache.StoredResult first = row.values().iterator().next();
            MetricDirection direction = MetricDirection.of(first.metric());
            rows.add(new Row(first.task(), first.metric(), direction, row, best(row, direction)));
        }
        return new ComparisonTable(results.size(), rows);
    }

    /** The newest stored results of each of {@code checkpointDigests} (one column each, in order). */
    public static ComparisonTable read(EvalCache store, List<String> checkpointDigests) {
        return of(checkpointDigests.stream().map(store::resultsOf).toList());
    }

    /** The tasks in the table, in row order. */
    public List<String> tasks() {
        return rows.stream().map(Row::task).distinct().toList();
    }

    /** The row of {@code task} and {@code metric}, if any. */
    public Optional<Row> row(String task, String metric) {
        return rows.stream().filter(r -> r.task().equals(task) && r.metric().equals(metric)).findFirst();
    }

    private static Set<Integer> best(Map<Integer, EvalCache.StoredResult> cells, MetricDirection direction) {
        List<Map.Entry<Integer, EvalCache.StoredResult>> valued = cells.entrySet().stream()
                .filter(cell -> !Double.isNaN(cell.getValue().value())).toList();
        if (valued.size() < 2) {
            return Set.of();
        }
        double best = valued.get(0).getValue().value();
        for (Map.Entry<Integer, EvalCache.StoredResult> cell : valued) {
            if (direction.better(cell.getValue().value(), best)) {
                best = cell.getValue().value();
            }
        }
        Set<Integer> columns = new LinkedHashSet<>();
        for (Map.Entry<Integer, EvalCache.StoredResult> cell : valued) {
            if (cell.getValue().value() == best) {
                columns.add(cell.getKey());
            }
        }
        return columns;
    }
}
