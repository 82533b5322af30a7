package org.r1wb.workbench.run;

import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.RunFolder;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.resources.PythonBackend;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run trained by the PyTorch backend under {@code torchrun --nproc_per_node=2} (DDP, gloo, CPU) is a run like any
 * other for the workbench: opened while it trains, its tab follows rank 0's journal to the end with every step's loss.
 */
@ExtendWith(ApplicationExtension.class)
class TorchrunRunViewTest {

    private static final Path TORCHRUN = Path.of("/usr/bin/torchrun");
    private static final int STEPS = 16;

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private Process torchrun;

    @Start
    void start(Stage stage) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TORCHRUN), "skipped: /usr/bin/torchrun is missing (apt-get install python3-torch)");
        Path data = TinyWorkspace.create(ws);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        RunStarter starter = new RunStarter(ws, new LocalRunLauncher(List.of()), ws.resolve("known_hosts"));
        RunFolder run = RunFolder.of(ws, "torchrun-2");
        RunSpecs.save(starter.spec(new RunRequest(data, ws.resolve(TinyWorkspace.MODEL), STEPS, 1e-3, 1, RunTarget.LOCAL),
                run.id()), run.spec());
        Path backend = Files.createDirectories(ws.resolve("backend").resolve(PythonBackend.PACKAGE));
        for (Map.Entry<String, byte[]> file : PythonBackend.files().entrySet()) {
            Files.write(backend.resolve(file.getKey()), file.getValue());
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // --redirects 1 --tee 1: torch 1.13's launcher cannot parse its own default on Python 3.11 (SCALING.md)
        ProcessBuilder builder = new ProcessBuilder(TORCHRUN.toString(), "--redirects", "1", "--tee", "1",
                "--nproc_per_node", "2", "--master_port", String.valueOf(port), "-m", "r1wb_torch.train",
                run.dir().toString()).redirectErrorStream(true).redirectOutput(run.dir().resolve(RunFolder.LOG).toFile());
        builder.environment().put("PYTHONPATH", backend.getParent().toString());
        builder.environment().put("OMP_NUM_THREADS", "1");
        torchrun = builder.start();
    }

    @AfterEach
    void stop() {
        if (torchrun != null) {
            torchrun.destroyForcibly();
        }
    }

    @Test
    void theRunTabFollowsRankZerosJournalLikeAnyRun(FxRobot robot) throws Exception {
        RunFolder run = RunFolder.of(ws, "torchrun-2");
        robot.interact(() -> window.open(WorkspaceItem.leaf(ItemKind.RUN, run.id(), "", run.dir())));
        Tab tab = window.editors().getSelectionModel().getSelectedItem();
        RunView view = window.runView(tab).orElseThrow();
        Screens.waitFor(240, () -> view.viewModel().stateProperty().get().terminal());
        assertThat(torchrun.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(run.dir().resolve(RunFolder.LOG));
        assertThat(view.viewModel().stateProperty().get()).as(log).isEqualTo(RunState.FINISHED);
        assertThat(view.viewModel().lossSeries().size()).as("one loss point per step, from rank 0 only").isEqualTo(STEPS);
        assertThat(view.viewModel().messageProperty().get()).contains(String.valueOf(STEPS));
    }
}
