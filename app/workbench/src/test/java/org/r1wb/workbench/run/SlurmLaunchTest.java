package org.r1wb.workbench.run;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.remote.LocalSlurm;
import org.r1wb.agent.slurm.PipelineRunBinding;
import org.r1wb.agent.slurm.SlurmTarget;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.pipeline.shards.ShardIndex;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run manager's Slurm target on a real one-node cluster (Debian slurm-wlm + munge, started by the test) behind
 * an embedded MINA login node: a training run submitted from the workbench trains there with a live loss chart, and
 * a pipeline submitted as an array job (shard tasks, then the merge) is listed and followed as a run to its output.
 */
@ExtendWith(ApplicationExtension.class)
class SlurmLaunchTest {

    private static final int STEPS = 20;
    private static final int SHARDS = 2;

    @TempDir
    Path tmp;

    private SshTestNode node;
    private LocalSlurm slurm;
    private Path ws;
    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws Exception {
        String unavailable = LocalSlurm.unavailable();
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        node = SshTestNode.start(tmp);
        ws = node.workspace;
        slurm = LocalSlurm.start(tmp.resolve("slurm"));
        System.setProperty("r1wb.knownHosts", node.knownHosts.toString());
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("r1wb.knownHosts");
        if (slurm != null) {
            slurm.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aTrainingRunSubmittedFromTheRunManagerTrainsOnTheClusterLive(FxRobot robot) throws Exception {
        Path model = ws.resolve("models/tiny.model.json");
        ModelSpecs.save(new ModelSpec(512, 32, 2, 2, 2, 16, 10_000, 64, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 32, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001)), model);
        AtomicReference<Path> data = new AtomicReference<>();
        robot.interact(() -> data.set(new RunLauncherDialog(ws).dataField().getValue()));
        assertThat(data.get().resolve(ShardIndex.FILE)).exists();
        RunRequest request = new RunRequest(data.get(), model, STEPS, 1e-3, 1,
                RunTarget.slurm(SlurmTarget.onLoginNode(SshTestNode.NAME, slurm.setup())));

        robot.interact(() -> window.launch(request));
        RunView view = trustAndOpen(robot);
        RunFolder run = new RunFolder(window.toolWindows().runs().get(0).path());
        awaitEnd(view, run);
        assertThat(view.viewModel().stateProperty().get()).as(log(run)).isEqualTo(RunState.FINISHED);
        assertThat(view.viewModel().lossSeries().size()).isEqualTo(STEPS);
        assertThat(Files.readString(run.dir().resolve("remote.json"))).contains("\"slurm\"");
    }

    @Test
    void aPipelineSubmittedAsAnArrayJobIsFollowedAsARunToItsOutput(FxRobot robot) throws Exception {
        Path cluster = tmp.resolve("cluster-workspace");
        SampleWorkspace.create(cluster);
        Files.copy(ws.resolve("pipelines/tiny.pipeline.json"), cluster.resolve("pipelines/tiny.pipeline.json"));
        AtomicReference<PipelineJobRequest> request = new AtomicReference<>();
        AtomicReference<List<String>> nodes = new AtomicReference<>();
        robot.interact(() -> {
            PipelineJobDialog dialog = new PipelineJobDialog(ws, "pipelines/tiny.pipeline.json");
            nodes.set(List.copyOf(dialog.nodeField().getItems()));
            dialog.shardsField().getValueFactory().setValue(SHARDS);
            dialog.clusterWorkspaceField().setText(cluster.toString());
            dialog.setupField().setText(slurm.setup());
            request.set(dialog.request());
        });
        assertThat(nodes.get()).containsExactly(SshTestNode.NAME);
        assertThat(request.get().pipeline()).isEqualTo("pipelines/tiny.pipeline.json");

        robot.interact(() -> window.launchPipelineJob(request.get()));
        RunView view = trustAndOpen(robot);
        WorkspaceItem listed = window.toolWindows().runs().get(0);
        assertThat(listed.label()).startsWith("tiny-slurm-");
        RunFolder run = new RunFolder(listed.path());
        awaitEnd(view, run);
        assertThat(view.viewModel().stateProperty().get()).as(log(run)).isEqualTo(RunState.FINISHED);

        String message = view.viewModel().messageProperty().get();
        assertThat(message).as("the run view names the output folder").startsWith("wrote ");
        Path output = Path.of(message.substring("wrote ".length()).strip());
        assertThat(output).startsWith(cluster.resolve("data"));
        assertThat(output.resolve(ShardIndex.FILE)).exists();
        List<RunEvent> shards = EventJournal.read(run.events()).stream()
                .filter(e -> "pipeline_shards".equals(e.type())).toList();
        assertThat(shards).isNotEmpty();
        assertThat(shards.get(shards.size() - 1).number("done")).isEqualTo(SHARDS);
        assertThat(PipelineRunBinding.load(run.dir()).orElseThrow().shards()).isEqualTo(SHARDS);
    }

    private RunView trustAndOpen(FxRobot robot) throws Exception {
        Screens.waitFor(60, () -> robot.lookup(".host-key-dialog").tryQuery().isPresent());
        robot.clickOn(NodePrompts.TRUST);
        Screens.waitFor(60, () -> !window.toolWindows().runs().isEmpty()
                && window.runView(window.editors().getSelectionModel().getSelectedItem()).isPresent());
        return window.runView(window.editors().getSelectionModel().getSelectedItem()).orElseThrow();
    }

    private static void awaitEnd(RunView view, RunFolder run) throws Exception {
        try {
            Screens.waitFor(300, () -> view.viewModel().stateProperty().get().terminal());
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end; " + log(run), e);
        }
    }

    private static String log(RunFolder run) {
        try {
            return "its agent.log:\n" + Files.readString(run.dir().resolve(RunFolder.LOG));
        } catch (java.io.IOException e) {
            return "no agent.log: " + e.getMessage();
        }
    }
}
