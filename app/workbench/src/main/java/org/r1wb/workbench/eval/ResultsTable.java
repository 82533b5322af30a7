package org.r1wb.workbench.eval;

import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.model.eval.EvalCache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's {@link ComparisonTable} of a workspace's checkpoints (the table {@code r1wb eval compare} prints),
 * with the checkpoints its columns stand for; checkpoints without stored results get no column.
 *
 * @param columns    the checkpoints with at least one stored result, by run and step
 * @param comparison their results side by side, column {@code i} being {@code columns.get(i)}
 */
public record ResultsTable(List<EvaluatedCheckpoint> columns, ComparisonTable comparison) {

    public ResultsTable {
        columns = List.copyOf(columns);
    }

    /** A table with nothing in it. */
    public static ResultsTable empty() {
        return new ResultsTable(List.of(), ComparisonTable.of(List.of()));
    }

    /** Reads the newest result of every task and metric of each of {@code checkpoints} from {@code store}. */
    public static ResultsTable read(EvalCache store, List<EvaluatedCheckpoint> checkpoints) {
        List<EvaluatedCheckpoint> columns = new ArrayList<>();
        List<List<EvalCache.StoredResult>> results = new ArrayList<>();
        for (EvaluatedCheckpoint checkpoint : checkpoints) {
            List<EvalCache.StoredResult> stored = store.resultsOf(checkpoint.digest());
            if (!stored.isEmpty()) {
                columns.add(checkpoint);
                results.add(stored);
            }
        }
        return new ResultsTable(columns, ComparisonTable.of(results));
    }

    /** One per task and metric, in the store's order. */
    public List<ComparisonTable.Row> rows() {
        return comparison.rows();
    }

    /** The tasks in the table, in row order. */
    public List<String> tasks() {
        return comparison.tasks();
    }

    /** The row of {@code task} and {@code metric}, if any. */
    public Optional<ComparisonTable.Row> row(String task, String metric) {
        return comparison.row(task, metric);
    }
}
