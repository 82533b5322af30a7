package org.r1wb.workbench.run;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.RunFolder;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run launched from the workbench onto a node over SSH (an embedded Apache MINA SSHD server): the launcher lists
 * the workspace's nodes as targets, the unknown host's fingerprint is put to the user in a dialog, and once
 * trusted the run trains on the node while the run view draws its loss from the mirrored journal.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteRunLaunchTest {

    private static final int STEPS = 30;

    @TempDir
    Path tmp;

    private SshTestNode node;
    private Path ws;
    private Path model;
    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws Exception {
        node = SshTestNode.start(tmp);
        ws = node.workspace;
        model = ws.resolve("models/tiny.model.json");
        ModelSpecs.save(new ModelSpec(512, 32, 2, 2, 2, 16, 10_000, 64, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 32, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001)), model);
        System.setProperty("r1wb.knownHosts", node.knownHosts.toString());
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("r1wb.knownHosts");
        node.close();
    }

    @Test
    void aRunLaunchedOnANodeAsksAboutItsHostKeyThenTrainsThereLive(FxRobot robot) throws Exception {
        AtomicReference<RunRequest> request = new AtomicReference<>();
        AtomicReference<List<String>> offered = new AtomicReference<>();
        robot.interact(() -> {
            RunLauncherDialog dialog = new RunLauncherDialog(ws);
            offered.set(dialog.targetField().getItems().stream().map(RunTarget::label).toList());
            dialog.targetField().getSelectionModel().select(RunTarget.node("gpu1"));
            dialog.modelField().getSelectionModel().select(model);
            dialog.stepsField().getValueFactory().setValue(STEPS);
            RunRequest filled = dialog.request();
            request.set(new RunRequest(filled.data(), filled.modelFile(), filled.steps(), 1e-3, filled.seed(), filled.target()));
        });
        assertThat(offered.get()).containsExactly("This machine (CPU, child process)", "This machine (GPU, PyTorch backend)",
                "Node gpu1 (SSH)", "Slurm cluster via gpu1");
        assertThat(request.get().target()).isEqualTo(RunTarget.node("gpu1"));

        robot.interact(() -> window.launch(request.get()));
        Screens.waitFor(60, () -> robot.lookup(".host-key-dialog").tryQuery().isPresent());
        String fingerprint = node.fingerprint();
        Node dialog = robot.lookup(".host-key-dialog").query();
        assertThat(robot.from(dialog).lookup(".host-key-fingerprint").queryAs(Label.class).getText()).contains(fingerprint);
        assertThat(window.toolWindows().runs()).as("nothing starts before the user answers").isEmpty();
        Screens.shoot(robot, dialog.getScene(), "host-key-dialog.png");
        robot.clickOn(NodePrompts.TRUST);

        Screens.waitFor(60, () -> !window.toolWindows().runs().isEmpty());
        assertThat(Files.readAllLines(node.knownHosts)).hasSize(1);
        WorkspaceItem run = window.toolWindows().runs().get(0);
        Tab tab = window.editors().getSelectionModel().getSelectedItem();
        RunView view = window.runView(tab).orElseThrow();
        RunFolder local = new RunFolder(run.path());
        try {
            Screens.waitFor(240, () -> view.viewModel().stateProperty().get().terminal());
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end; its agent.log:\n" + Files.readString(local.dir().resolve(RunFolder.LOG)), e);
        }
        assertThat(view.viewModel().stateProperty().get()).as(Files.readString(local.dir().resolve(RunFolder.LOG)))
                .isEqualTo(RunState.FINISHED);
        assertThat(view.viewModel().lossSeries().size()).isEqualTo(STEPS);
        assertThat(local.isRemote()).isTrue();
        Path onNode = node.journalOnNode(run.label());
        assertThat(Files.readAllLines(local.events())).as("the run view read the node's journal, mirrored")
                .isEqualTo(Files.readAllLines(onNode));
        assertThat(EventJournal.read(onNode)).filteredOn(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss")))
                .hasSize(STEPS);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
