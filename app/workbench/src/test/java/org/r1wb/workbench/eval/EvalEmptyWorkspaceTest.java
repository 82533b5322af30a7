package org.r1wb.workbench.eval;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A workspace never evaluated: the tab says what to run, and looking does not create a store. */
@ExtendWith(ApplicationExtension.class)
class EvalEmptyWorkspaceTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @Test
    void saysWhatToRunAndCreatesNoStore(FxRobot robot) throws Exception {
        robot.clickOn(robot.lookup(".main-toolbar .button").match(node -> node instanceof javafx.scene.control.Button b
                && "Evaluations".equals(b.getText())).queryButton());
        AtomicReference<EvaluationsView> view = new AtomicReference<>();
        robot.interact(() -> view.set(window.openEvaluations().orElseThrow()));
        Screens.waitFor(20, () -> view.get().viewModel().loadedProperty().get());

        assertThat(view.get().viewModel().problemProperty().get()).isNull();
        assertThat(view.get().results().getItems()).isEmpty();
        assertThat(((Label) view.get().results().getPlaceholder()).getText()).contains("r1wb eval");
        assertThat(window.editors().getTabs()).hasSize(1);
        assertThat(ws.resolve(EvaluationsViewModel.STORE)).doesNotExist();
    }
}
