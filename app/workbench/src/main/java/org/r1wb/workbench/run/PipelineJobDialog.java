package org.r1wb.workbench.run;

import javafx.beans.binding.Bindings;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where and how to run a pipeline on a Slurm cluster: the pipeline, the login node (from {@code nodes.json}), the
 * number of shard tasks, the workspace folder on the cluster's shared file system and the jobs' resources. Its
 * result is a {@link PipelineJobRequest}; {@link RunStarter#startPipelineJob} starts it.
 */
public final class PipelineJobDialog extends Dialog<PipelineJobRequest> {

    private final ComboBox<String> pipeline = new ComboBox<>();
    private final ComboBox<String> node = new ComboBox<>();
    private final Spinner<Integer> shards = new Spinner<>(1, 10_000, 4);
    private final TextField clusterWorkspace = new TextField();
    private final SlurmFields slurm = new SlurmFields();

    /** @param selected the pipeline to preselect (the one being edited), relative to the workspace; may be null */
    public PipelineJobDialog(Path workspace, String selected) {
        setTitle("Run Pipeline on Slurm");
        setHeaderText("Run a pipeline as a Slurm array job: per-document stages in parallel shard tasks, then one merge");
        pipeline.getItems().setAll(pipelines(workspace));
        if (selected != null && pipeline.getItems().contains(selected)) {
            pipeline.getSelectionModel().select(selected);
        } else {
            pipeline.getSelectionModel().selectFirst();
        }
        node.getItems().setAll(nodes(workspace));
        node.getSelectionModel().selectFirst();
        shards.setEditable(true);
        clusterWorkspace.setPromptText("/shared/me/workspace   (holds this pipeline and its raw data)");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.getStyleClass().add("pipeline-job");
        String[] labels = {"Pipeline", "Login node", "Shard tasks", "Cluster workspace"};
        Control[] fields = {pipeline, node, shards, clusterWorkspace};
        for (int i = 0; i < labels.length; i++) {
            grid.addRow(i, new Label(labels[i]), fields[i]);
            fields[i].setPrefWidth(360);
        }
        slurm.addTo(grid, labels.length, Bindings.createBooleanBinding(() -> true));
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(pipeline.valueProperty().isNull()
                .or(node.valueProperty().isNull()).or(clusterWorkspace.textProperty().isEmpty()));
        setResultConverter(button -> button == ButtonType.OK ? request() : null);
    }

    /** The request the fields describe now; every problem is thrown at once, each naming its field. */
    public PipelineJobRequest request() {
        String folder = clusterWorkspace.getText().strip();
        if (!folder.startsWith("/")) {
            throw new IllegalArgumentException("cluster workspace '" + folder + "' must be an absolute path on the "
                    + "cluster's shared file system");
        }
        return new PipelineJobRequest(pipeline.getValue(), shards.getValue(), folder, slurm.target(node.getValue()));
    }

    public ComboBox<String> pipelineField() {
        return pipeline;
    }

    public ComboBox<String> nodeField() {
        return node;
    }

    public Spinner<Integer> shardsField() {
        return shards;
    }

    public TextField clusterWorkspaceField() {
        return clusterWorkspace;
    }

    public TextField setupField() {
        return slurm.setupField();
    }

    private static List<String> pipelines(Path workspace) {
        Path folder = workspace.resolve("pipelines");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pipeline.json"))
                    .map(f -> workspace.relativize(f).toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> nodes(Path workspace) {
        try {
            return NodeList.load(workspace).nodes().stream().map(NodeSpec::name).toList();
        } catch (IOException e) {
            // a broken nodes.json shows as an empty list; the Run menu's other entries still work
            return List.of();
        }
    }
}
