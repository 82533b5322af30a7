package org.r1wb.workbench.run;

import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import org.r1wb.pipeline.shards.ShardIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run configuration: data (a pipeline's output folder), model file, steps, learning rate, seed and target.
 * Its result is a {@link RunRequest}; {@link RunStarter} starts it.
 */
public final class RunLauncherDialog extends Dialog<RunRequest> {

    private final ComboBox<Path> data = new ComboBox<>();
    private final ComboBox<Path> model = new ComboBox<>();
    private final Spinner<Integer> steps = new Spinner<>(1, 1_000_000, 200, 50);
    private final TextField lr = new TextField("3e-3");
    private final TextField seed = new TextField("1");
    private final ComboBox<RunTarget> target = new ComboBox<>();
    private final SlurmFields slurmFields = new SlurmFields();

    public RunLauncherDialog(Path workspace) {
        setTitle("New Training Run");
        setHeaderText("Train a model on a pipeline's output: here in a child process, on a node over SSH, or on a Slurm cluster");
        data.getItems().setAll(list(workspace.resolve("data"), dir -> Files.isRegularFile(dir.resolve(ShardIndex.FILE))));
        model.getItems().setAll(list(workspace.resolve("models"), f -> f.getFileName().toString().endsWith(".model.json")));
        data.getSelectionModel().selectFirst();
        model.getSelectionModel().selectFirst();
        data.setConverter(names(workspace));
        model.setConverter(names(workspace));
        steps.setEditable(true);
        target.getItems().setAll(targets(workspace));
        target.getSelectionModel().selectFirst();
        target.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(RunTarget t) {
                return t == null ? "" : t.label();
            }

            @Override
            public RunTarget fromString(String text) {
                return target.getItems().stream().filter(t -> t.label().equals(text)).findFirst().orElse(null);
            }
        });

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.getStyleClass().add("run-launcher");
        String[] labels = {"Data", "Model", "Steps", "Learning rate", "Seed", "Target"};
        javafx.scene.Node[] fields = {data, model, steps, lr, seed, target};
        for (int i = 0; i < labels.length; i++) {
            grid.addRow(i, new Label(labels[i]), fields[i]);
            ((javafx.scene.control.Control) fields[i]).setPrefWidth(360);
        }
        javafx.beans.binding.BooleanBinding isSlurm = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> target.getValue() != null && target.getValue().kind() == RunTarget.Kind.SLURM, target.valueProperty());
        slurmFields.addTo(grid, labels.length, isSlurm);
        isSlurm.addListener((o, was, is) -> {
            if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty()
                .bind(data.valueProperty().isNull().or(model.valueProperty().isNull()));
        setResultConverter(button -> button == ButtonType.OK ? request() : null);
    }

    /** The request the fields describe now; a malformed number is refused with the field's name. */
    public RunRequest request() {
        double rate;
        long seedValue;
        try {
            rate = Double.parseDouble(lr.getText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning rate '" + lr.getText() + "' is not a number");
        }
        try {
            seedValue = Long.parseLong(seed.getText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed '" + seed.getText() + "' is not a whole number");
        }
        RunTarget chosen = target.getValue() == null ? RunTarget.LOCAL : target.getValue();
        if (chosen.kind() == RunTarget.Kind.SLURM) {
            chosen = RunTarget.slurm(slurmFields.target(chosen.node()));
        }
        return new RunRequest(data.getValue(), model.getValue(), steps.getValue(), rate, seedValue, chosen);
    }

    public ComboBox<RunTarget> targetField() {
        return target;
    }

    private static List<RunTarget> targets(Path workspace) {
        try {
            return RunTarget.available(workspace);
        } catch (IOException e) {
            // a broken nodes.json must not keep the user from training here
            return List.of(RunTarget.LOCAL);
        }
    }

    public ComboBox<Path> dataField() {
        return data;
    }

    public ComboBox<Path> modelField() {
        return model;
    }

    public Spinner<Integer> stepsField() {
        return steps;
    }

    private static List<Path> list(Path folder, java.util.function.Predicate<Path> accept) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            // newest first: the pipeline just run is the one wanted
            return entries.filter(accept).sorted(Comparator.comparing(RunLauncherDialog::modified).reversed()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static javafx.util.StringConverter<Path> names(Path workspace) {
        return new javafx.util.StringConverter<>() {
            @Override
            public String toString(Path path) {
                return path == null ? "" : workspace.relativize(path).toString();
            }

            @Override
            public Path fromString(String text) {
                return workspace.resolve(text);
            }
        };
    }
}
