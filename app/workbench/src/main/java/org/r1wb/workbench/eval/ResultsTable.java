package org.r1wb.workbench.eval;

import org.r1wb.model.eval.EvalCache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stored results side by side, as {@code r1wb eval compare} prints them: one row per task and metric, one
 * column per checkpoint that has results, the best cell of each row marked.
 *
 * @param columns the checkpoints with at least one stored result, by run and step
 * @param rows    one per task and metric, in the store's order
 */
public record ResultsTable(List<EvaluatedCheckpoint> columns, List<Row> rows) {

    /**
     * One task and metric across the columns.
     *
     * @param cells     by column index; absent where that checkpoint was not evaluated on the task
     * @param best      the column of the best value, -1 when fewer than two columns have one
     */
    public record Row(String task, String metric, MetricDirection direction, Map<Integer, EvalCache.StoredResult> cells,
                      int best) {

        /** The cell of {@code column}, if that checkpoint has a result. */
        public Optional<EvalCache.StoredResult> cell(int column) {
            return Optional.ofNullable(cells.get(column));
        }
    }

    public ResultsTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Reads the newest result of every task and metric of each of {@code checkpoints} from {@code store}. */
    public static ResultsTable read(EvalCache store, List<EvaluatedCheckpoint> checkpoints) {
        List<EvaluatedCheckpoint> columns = new ArrayList<>();
        Map<String, Map<Integer, EvalCache.StoredResult>> cells = new LinkedHashMap<>();
        Map<String, EvalCache.StoredResult> firstOfRow = new LinkedHashMap<>();
        for (EvaluatedCheckpoint checkpoint : checkpoints) {
            List<EvalCache.StoredResult> results = store.resultsOf(checkpoint.digest());
            if (results.isEmpty()) {
                continue;
            }
            int column = columns.size();
            columns.add(checkpoint);
            for (EvalCache.StoredResult result : results) {
                String key = result.task() + '\u0000' + result.metric();
                firstOfRow.putIfAbsent(key, result);
                cells.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(column, result);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, EvalCache.StoredResult>> entry : cells.entrySet()) {
            EvalCache.StoredResult first = firstOfRow.get(entry.getKey());
            MetricDirection direction = MetricDirection.of(first.metric());
            rows.add(new Row(first.task(), first.metric(), direction, Collections.unmodifiableMap(entry.getValue()),
                    best(entry.getValue(), direction)));
        }
        return new ResultsTable(columns, rows);
    }

    /** The tasks in the table, in row order. */
    public List<String> tasks() {
        return rows.stream().map(Row::task).distinct().toList();
    }

    /** The row of {@code task} and {@code metric}, if any. */
    public Optional<Row> row(String task, String metric) {
        return rows.stream().filter(r -> r.task().equals(task) && r.metric().equals(metric)).findFirst();
    }

    private static int best(Map<Integer, EvalCache.StoredResult> cells, MetricDirection direction) {
        if (cells.size() < 2 || cells.values().stream().mapToDouble(EvalCache.StoredResult::value).distinct().count() == 1) {
            return -1;
        }
        int best = -1;
        for (Map.Entry<Integer, EvalCache.StoredResult> cell : cells.entrySet()) {
            if (best < 0 || direction.better(cell.getValue().value(), cells.get(best).value())) {
                best = cell.getKey();
            }
        }
        return best;
    }
}
