package org.r1wb.workbench.eval;

import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.util.StringConverter;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.eval.task.TaskRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "Evaluate checkpoint…": a checkpoint of the workspace's runs, a suite (or single task) of its {@code evals/} and
 * how many documents per task. Its result is an {@link EvaluationRequest}.
 */
public final class EvaluateDialog extends Dialog<EvaluationRequest> {

    private final ComboBox<EvaluatedCheckpoint> checkpoint = new ComboBox<>();
    private final ComboBox<String> suite = new ComboBox<>();
    /** 0 stands for every document. */
    private final Spinner<Integer> limit = new Spinner<>(0, 1_000_000, 0, 10);

    /**
     * A dialog over {@code checkpoints}, preselecting the newest checkpoint of run {@code run} (or the newest of all
     * when {@code run} is {@code null} or has none); suites come from {@code registry}.
     */
    public EvaluateDialog(List<EvaluatedCheckpoint> checkpoints, TaskRegistry registry, String run) {
        setTitle("Evaluate Checkpoint");
        setHeaderText("Evaluate a checkpoint on a suite in a child agent process; cached results are reused");
        checkpoint.getItems().setAll(checkpoints);
        checkpoint.setConverter(new StringConverter<>() {
            @Override
            public String toString(EvaluatedCheckpoint c) {
                return c == null ? "" : c.label() + "  (" + c.folder().getFileName() + ")";
            }

            @Override
            public EvaluatedCheckpoint fromString(String text) {
                return checkpoint.getItems().stream().filter(c -> toString(c).equals(text)).findFirst().orElse(null);
            }
        });
        checkpoints.stream().filter(c -> run == null || c.run().equals(run))
                .max(Comparator.comparingInt(EvaluatedCheckpoint::step))
                .or(() -> checkpoints.stream().reduce((a, b) -> b))
                .ifPresent(c -> checkpoint.getSelectionModel().select(c));
        List<String> names = new ArrayList<>(registry.suites().keySet().stream().sorted().toList());
        registry.tasks().keySet().stream().sorted().filter(t -> !names.contains(t)).forEach(names::add);
        suite.getItems().setAll(names);
        suite.getSelectionModel().select(names.contains("sample") ? "sample" : names.isEmpty() ? null : names.get(0));
        limit.setEditable(true);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("Checkpoint"), checkpoint);
        grid.addRow(1, new Label("Suite or task"), suite);
        grid.addRow(2, new Label("Documents per task (0 = all)"), limit);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty()
                .bind(checkpoint.valueProperty().isNull().or(suite.valueProperty().isNull()));
        setResultConverter(button -> button == ButtonType.OK ? request() : null);
    }

    /** The suites and tasks of {@code workspace}'s {@code evals/}. */
    public static TaskRegistry registry(Path workspace) {
        return TaskRegistry.scan(workspace.resolve("evals"), TaskLoader.builtIn());
    }

    /** The request the fields describe now. */
    public EvaluationRequest request() {
        int documents = limit.getValue();
        return new EvaluationRequest(checkpoint.getValue().folder(), suite.getValue(), documents == 0 ? null : documents);
    }

    public ComboBox<EvaluatedCheckpoint> checkpointField() {
        return checkpoint;
    }

    public ComboBox<String> suiteField() {
        return suite;
    }

    public Spinner<Integer> limitField() {
        return limit;
    }
}
