package org.r1wb.workbench.pipeline;

import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders the sample pipeline in its editor to {@code docs/screenshots/pipeline-editor(-dark).png}. */
@ExtendWith(ApplicationExtension.class)
class PipelineScreenshotTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.PIPELINE, "sample", "sample.pipeline.json",
                ws.resolve(SampleWorkspace.PIPELINE)));
    }

    @Test
    void rendersTheSamplePipeline(FxRobot robot) throws Exception {
        PipelineEditor editor = (PipelineEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.model().nodes()).hasSize(5);
        assertThat(editor.problems()).isEmpty();
        robot.clickOn(editor.canvas().skin("bpe").orElseThrow());
        robot.interact(editor.canvas()::zoomToFit);
        WaitForAsyncUtils.waitForFxEvents();
        Screens.shoot(robot, window.scene(), "pipeline-editor.png");
        robot.interact(() -> window.setTheme(Theme.DARK));
        WaitForAsyncUtils.waitForFxEvents();
        Screens.shoot(robot, window.scene(), "pipeline-editor-dark.png");
        robot.interact(() -> window.setTheme(Theme.LIGHT));
    }
}
