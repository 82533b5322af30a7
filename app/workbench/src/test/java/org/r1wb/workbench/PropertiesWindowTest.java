package org.r1wb.workbench;

import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.pipeline.PipelineEditor;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The right-hand Properties window follows the project tree's selection and hosts the pipeline node sheet. */
@ExtendWith(ApplicationExtension.class)
class PropertiesWindowTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private DemoRun run;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        run = DemoRun.create(ws, "demo-1", "pretrain").status("running", "started").steps(120, 0);
        run.status("finished", "completed 120 steps").close();
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @Test
    void selectingTreeEntriesShowsTheirProperties(FxRobot robot) throws Exception {
        select(robot, ItemKind.MODEL);
        ModelEstimates expected = ModelEstimates.of(ModelSpecs.load(ws.resolve(SampleWorkspace.MODEL)));
        waitForRow("Total parameters");
        assertThat(window.properties().subjectProperty().get()).isEqualTo("sample.model.json");
        assertThat(window.properties().value("Total parameters"))
                .contains(String.format(Locale.ROOT, "%,d", expected.totalParams()));
        assertThat(window.properties().value("Active parameters"))
                .contains(String.format(Locale.ROOT, "%,d", expected.activeParamsPerToken()));
        assertThat(window.properties().value("Size"))
                .isEqualTo(Files.size(ws.resolve(SampleWorkspace.MODEL)) + " B");

        select(robot, ItemKind.RUN);
        waitForRow("Last loss");
        assertThat(window.properties().value("State")).isEqualTo("finished");
        assertThat(window.properties().value("Steps")).isEqualTo("120");
        double lastLoss = run.trainPoints.get(run.trainPoints.size() - 1)[1];
        assertThat(window.properties().value("Last loss")).isEqualTo(String.format(Locale.ROOT, "%.4f", lastLoss));

        select(robot, ItemKind.PIPELINE);
        waitForRow("Nodes");
        assertThat(window.properties().value("Nodes"))
                .isEqualTo(String.valueOf(PipelineSpec.read(ws.resolve(SampleWorkspace.PIPELINE)).nodes().size()));
    }

    @Test
    void aSelectedPipelineNodeShowsItsParameterSheetHere(FxRobot robot) {
        WorkspaceItem pipeline = find(window.projectTree().getRoot(), ItemKind.PIPELINE);
        robot.interact(() -> window.open(pipeline));
        Tab tab = window.editors().getSelectionModel().getSelectedItem();
        PipelineEditor editor = (PipelineEditor) tab.getContent();
        String node = editor.model().nodes().get(0).id();

        robot.interact(() -> editor.canvas().selection().setAll(node));

        assertThat(window.properties().subjectProperty().get()).isEqualTo("Node " + node);
        assertThat(isInside(editor.params(), window.properties())).isTrue();
        // shown once: the editor no longer lays out a sheet of its own
        assertThat(isInside(editor.params(), editor)).isFalse();
        assertThat(editor.params().nodeId()).contains(node);
    }

    @Test
    void theWindowCollapsesAndComesBackAtItsSize(FxRobot robot) {
        double before = window.captureState().propertiesDivider();
        robot.interact(() -> window.actions().run("view.properties"));
        assertThat(window.propertiesCollapsed()).isTrue();
        assertThat(window.properties().getScene()).isNull();
        robot.interact(() -> window.actions().run("view.properties"));
        assertThat(window.propertiesCollapsed()).isFalse();
        assertThat(window.captureState().propertiesDivider()).isCloseTo(before, offset(0.01));
    }

    private void select(FxRobot robot, ItemKind kind) {
        TreeItem<WorkspaceItem> item = treeItem(window.projectTree().getRoot(), kind);
        robot.interact(() -> window.projectTree().getSelectionModel().select(item));
    }

    private void waitForRow(String name) throws TimeoutException {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> window.properties().value(name) != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static TreeItem<WorkspaceItem> treeItem(TreeItem<WorkspaceItem> node, ItemKind kind) {
        if (node.getValue().kind() == kind) {
            return node;
        }
        for (TreeItem<WorkspaceItem> child : node.getChildren()) {
            TreeItem<WorkspaceItem> found = treeItem(child, kind);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static WorkspaceItem find(TreeItem<WorkspaceItem> root, ItemKind kind) {
        return treeItem(root, kind).getValue();
    }

    private static boolean isInside(Node node, Node ancestor) {
        for (Node at = node; at != null; at = at.getParent()) {
            if (at == ancestor) {
                return true;
            }
        }
        return false;
    }
}
