package org.r1wb.workbench.run;

import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import org.r1wb.agent.slurm.SlurmTarget;

import java.util.List;

/** The fields of a Slurm job's resources, shared by the launch dialogs; they make a {@link SlurmTarget}. */
final class SlurmFields {

    private final TextField setup = new TextField();
    private final TextField partition = new TextField();
    private final TextField account = new TextField();
    private final Spinner<Integer> gpus = new Spinner<>(0, 64, 0);
    private final Spinner<Integer> cpus = new Spinner<>(1, 256, 2);
    private final TextField timeLimit = new TextField("24:00:00");

    SlurmFields() {
        setup.setPromptText("module load slurm   (run before sbatch on the login node)");
        partition.setPromptText("the cluster's default");
        account.setPromptText("none");
    }

    /** Adds the fields as rows from {@code row} on, shown only while {@code shown} holds. */
    void addTo(GridPane grid, int row, ObservableBooleanValue shown) {
        String[] labels = {"Slurm setup", "Partition", "Account", "GPUs per node", "CPUs per task", "Time limit"};
        Control[] fields = {setup, partition, account, gpus, cpus, timeLimit};
        for (int i = 0; i < labels.length; i++) {
            Label label = new Label(labels[i]);
            grid.addRow(row + i, label, fields[i]);
            fields[i].setPrefWidth(360);
            for (javafx.scene.Node node : List.of(label, fields[i])) {
                node.visibleProperty().bind(shown);
                node.managedProperty().bind(shown);
            }
        }
    }

    /** The target on login node {@code node}; every problem of the fields is thrown at once. */
    SlurmTarget target(String node) {
        SlurmTarget slurm = new SlurmTarget(node, setup.getText(), partition.getText(), account.getText(), 1,
                gpus.getValue(), cpus.getValue(), timeLimit.getText());
        if (!slurm.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", slurm.problems()));
        }
        return slurm;
    }

    TextField setupField() {
        return setup;
    }
}
