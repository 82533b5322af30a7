package org.r1wb.workbench.pipeline;

import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.PipelineDigest;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.graph.NodeDecoration;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** "Run to here" on the sample pipeline's middle node runs it and its sources, and nothing downstream. */
@ExtendWith(ApplicationExtension.class)
class RunToHereTest {

    @TempDir
    Path ws;

    private PipelineEditor editor;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        Path file = ws.resolve(SampleWorkspace.PIPELINE);
        WorkbenchWindow window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.PIPELINE, "sample", "sample.pipeline.json", file));
        editor = (PipelineEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
    }

    @Test
    void runToAMiddleNodeRunsItAndItsAncestorsOnly(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Screens.waitFor(5, () -> editor.canvas().skin("normalize").isPresent());
        robot.clickOn(editor.canvas().skin("normalize").orElseThrow());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.canvas().selection()).containsExactly("normalize");

        Button runTo = robot.lookup(n -> n instanceof Button b && "▶ Run to here".equals(b.getText())).query();
        robot.clickOn(runTo);
        Screens.waitFor(5, () -> editor.runningProperty().get() || !editor.lastStats().isEmpty());
        Screens.waitFor(60, () -> !editor.runningProperty().get());

        assertThat(editor.lastStats()).containsOnlyKeys("arithmetic", "prose", "normalize");
        long sourcesOut = editor.lastStats().get("arithmetic").out() + editor.lastStats().get("prose").out();
        assertThat(editor.lastStats().get("normalize").in()).isEqualTo(sourcesOut).isPositive();
        NodeDecoration normalize = editor.canvas().decoration("normalize");
        assertThat(normalize.state()).isEqualTo(NodeDecoration.RunState.DONE);
        assertThat(editor.canvas().skin("normalize").orElseThrow().badgeText())
                .isEqualTo(PipelineEditor.badge(editor.lastStats().get("normalize")));
        for (String downstream : List.of("bpe", "shards")) {
            assertThat(editor.canvas().decoration(downstream).state()).isEqualTo(NodeDecoration.RunState.IDLE);
        }

        // the sub-pipeline's nodes carry the whole pipeline's cache digests, so a full run reuses them
        PipelineSpec whole = editor.spec();
        StageRegistry registry = StageRegistry.builtIn();
        var full = PipelineDigest.compute(whole, registry, ws).nodes();
        var part = PipelineDigest.compute(PipelineSubgraph.upTo(whole, "normalize"), registry, ws).nodes();
        assertThat(part).containsOnlyKeys("arithmetic", "prose", "normalize");
        part.forEach((id, digest) -> assertThat(full).containsEntry(id, digest));
    }
}
