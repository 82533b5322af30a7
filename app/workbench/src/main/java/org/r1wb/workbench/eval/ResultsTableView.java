package org.r1wb.workbench.eval;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.MetricDirection;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The results table: one row per task and metric, one column per checkpoint, each cell {@code value ±
 * standard error}, every best cell of a row highlighted (the engine's rule: ties all marked). Bound to an
 * {@link EvaluationsViewModel}'s table; double-clicking a cell asks to browse that task's samples on that checkpoint.
 */
public final class ResultsTableView extends TableView<ComparisonTable.Row> {

    /** Style class of the table. */
    public static final String STYLE_CLASS = "eval-results";
    /** Style class of the best cell of a row. */
    public static final String BEST = "eval-best";

    private BiConsumer<String, EvaluatedCheckpoint> onOpenSamples = (task, checkpoint) -> { };

    public ResultsTableView(ObservableValue<ResultsTable> table) {
        getStyleClass().add(STYLE_CLASS);
        setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Label empty = new Label("No stored evaluations of this workspace's checkpoints yet: run "
                + "'r1wb eval RUN --suite sample' (or './r1wb demo'), then Reload");
        empty.getStyleClass().add("eval-problem");
        setPlaceholder(empty);
        table.addListener((obs, old, now) -> show(now));
        show(table.getValue());
    }

    /** What double-clicking a cell does: browse the row's task on the cell's checkpoint. */
    public void setOnOpenSamples(BiConsumer<String, EvaluatedCheckpoint> action) {
        onOpenSamples = action;
    }

    private void show(ResultsTable table) {
        getColumns().clear();
        TableColumn<ComparisonTable.Row, String> task = new TableColumn<>("Task");
        task.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(row.getValue().task()));
        task.setCellFactory(column -> new TaskCell());
        task.setPrefWidth(170);
        TableColumn<ComparisonTable.Row, String> metric = new TableColumn<>("Metric");
        metric.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(row.getValue().metric()
                + (row.getValue().direction() == MetricDirection.LOWER_IS_BETTER ? "  ↓" : "  ↑")));
        metric.getStyleClass().add("eval-metric-column");
        metric.setPrefWidth(170);
        getColumns().add(task);
        getColumns().add(metric);
        for (int c = 0; c < table.columns().size(); c++) {
            int column = c;
            EvaluatedCheckpoint checkpoint = table.columns().get(c);
            TableColumn<ComparisonTable.Row, ComparisonTable.Row> values = new TableColumn<>(checkpoint.label());
            values.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(row.getValue()));
            values.setCellFactory(col -> new ValueCell(column, checkpoint));
            values.setPrefWidth(190);
            values.getStyleClass().add("eval-value-column");
            values.setSortable(false);
            getColumns().add(values);
        }
        getItems().setAll(table.rows());
    }

    /** Shows the task once per group of rows, as a heading. */
    private static final class TaskCell extends TableCell<ComparisonTable.Row, String> {
        @Override
        protected void updateItem(String task, boolean empty) {
            super.updateItem(task, empty);
            int index = getIndex();
            boolean repeat = !empty && index > 0 && index < getTableView().getItems().size()
                    && getTableView().getItems().get(index - 1).task().equals(task);
            setText(empty || repeat ? null : task);
            getStyleClass().remove("eval-task-first");
            if (!empty && !repeat) {
                getStyleClass().add("eval-task-first");
            }
        }
    }

    private final class ValueCell extends TableCell<ComparisonTable.Row, ComparisonTable.Row> {
        private final int column;
        private final EvaluatedCheckpoint checkpoint;

        ValueCell(int column, EvaluatedCheckpoint checkpoint) {
            this.column = column;
            this.checkpoint = checkpoint;
            setAlignment(Pos.CENTER_RIGHT);
            setOnMouseClicked(event -> {
                if (event.getClickCount() == 2 && getItem() != null) {
                    onOpenSamples.accept(getItem().task(), checkpoint);
                }
            });
        }

        @Override
        protected void updateItem(ComparisonTable.Row row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().remove(BEST);
            EvalCache.StoredResult cell = empty || row == null ? null : row.cell(column).orElse(null);
            if (cell == null) {
                setText(empty ? null : "—");
                setTooltip(null);
                return;
            }
            setText(format(cell.value()) + " ± " + format(cell.stderr()));
            setTooltip(new Tooltip(row.task() + " · " + row.metric() + " on " + checkpoint.label() + "\nn = "
                    + cell.samples() + " documents" + (row.isBest(column) ? "\nbest of the row" : "")
                    + "\ndouble-click to browse the samples"));
            if (row.isBest(column)) {
                getStyleClass().add(BEST);
            }
        }
    }

    /** Four decimals for scores, two for large values such as perplexity. */
    static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.2f" : "%.4f", value);
    }

    /** The text of the cell at {@code row} and checkpoint {@code column}, as shown (for tests). */
    public String cellText(int row, int column) {
        ComparisonTable.Row r = getItems().get(row);
        return r.cell(column).map(c -> format(c.value()) + " ± " + format(c.stderr())).orElse("—");
    }

    /** Whether the cell at {@code row} and checkpoint {@code column} is drawn highlighted (looks up the live cells). */
    public boolean isHighlighted(int row, int column) {
        return lookupAll("." + BEST).stream()
                .filter(node -> node instanceof ValueCell cell && cell.getIndex() == row && cell.column == column)
                .anyMatch(node -> ((ValueCell) node).isVisible());
    }
}
