package org.r1wb.workbench;

import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.model.ModelEditor;
import org.r1wb.workbench.state.WorkbenchState;
import org.r1wb.workbench.state.WorkbenchStateStore;
import org.r1wb.workbench.welcome.WelcomeView;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The welcome screen and what the workbench remembers between starts (layout, theme, recent workspaces, tabs). */
@ExtendWith(ApplicationExtension.class)
class WorkbenchStateTest {

    @TempDir
    Path tmp;

    private Stage stage;

    /** A fresh stage per test: the primary stage keeps the size an earlier test gave it. */
    @Start
    void start(Stage primary) {
        stage = new Stage();
    }

    @Test
    void layoutThemeAndOpenTabsComeBackOnTheNextStart(FxRobot robot) throws IOException {
        Path ws = SampleWorkspace.create(tmp.resolve("ws"));
        WorkbenchStateStore store = new WorkbenchStateStore(tmp.resolve("config/workbench.json"));
        AtomicReference<WorkbenchWindow> first = new AtomicReference<>();
        robot.interact(() -> {
            WorkbenchWindow window = new WorkbenchWindow(stage, store);
            first.set(window);
            openQuietly(window, ws);
            window.show();
            stage.setX(40);
            stage.setY(30);
            stage.setWidth(1200);
            stage.setHeight(780);
            window.setTheme(Theme.DARK);
            window.setToolWindowsCollapsed(true);
            window.open(item(window, ItemKind.PIPELINE));
            window.open(item(window, ItemKind.MODEL));
        });
        robot.interact(() -> ((javafx.scene.control.SplitPane) first.get().properties().getParent().getParent())
                .setDividerPosition(0, 0.3));
        robot.interact(stage::hide);
        assertThat(Files.isRegularFile(store.file())).isTrue();

        AtomicReference<WorkbenchWindow> second = new AtomicReference<>();
        robot.interact(() -> {
            Stage next = new Stage();
            WorkbenchWindow window = new WorkbenchWindow(next, store);
            second.set(window);
            openQuietly(window, ws);
            window.show();
        });
        WorkbenchWindow window = second.get();
        Stage next = (Stage) window.scene().getWindow();
        assertThat(window.theme()).isEqualTo(Theme.DARK);
        assertThat(window.toolWindowsCollapsed()).isTrue();
        assertThat(window.propertiesCollapsed()).isFalse();
        assertThat(window.captureState().projectDivider()).isCloseTo(0.3, offset(0.01));
        assertThat(List.of(next.getX(), next.getY(), next.getWidth(), next.getHeight()))
                .containsExactly(40.0, 30.0, 1200.0, 780.0);
        assertThat(window.editors().getTabs()).extracting(Tab::getText)
                .containsExactly("sample.pipeline.json", "sample.model.json");
        assertThat(window.editors().getSelectionModel().getSelectedItem().getContent())
                .isInstanceOf(ModelEditor.class);
        assertThat(window.captureState().recentWorkspaces()).containsExactly(ws.toAbsolutePath().toString());
        robot.interact(next::hide);
        robot.interact(() -> Theme.LIGHT.apply());
    }

    @Test
    void aCorruptFileMeansTheDefaultsNotACrash(FxRobot robot) throws IOException {
        Path file = tmp.resolve("workbench.json");
        Files.writeString(file, "{\"theme\": \"DARK\", \"recentWorkspaces\": [");
        WorkbenchStateStore store = new WorkbenchStateStore(file);
        assertThat(store.load()).isEqualTo(WorkbenchState.defaults());

        AtomicReference<WorkbenchWindow> window = new AtomicReference<>();
        robot.interact(() -> {
            window.set(new WorkbenchWindow(stage, store));
            window.get().show();
        });
        assertThat(window.get().theme()).isEqualTo(Theme.LIGHT);
        assertThat(window.get().toolWindowsCollapsed()).isFalse();
        assertThat(window.get().captureState().projectDivider())
                .isCloseTo(WorkbenchState.defaults().projectDivider(), offset(0.01));
        robot.interact(stage::hide);
        // closing wrote a good file over the corrupt one
        assertThat(store.load().recentWorkspaces()).isEmpty();
        assertThat(Files.readString(file)).contains("\"theme\" : \"LIGHT\"");
    }

    @Test
    void theWelcomeScreenListsRecentWorkspacesAndOpensOne(FxRobot robot) throws IOException {
        Path ws = SampleWorkspace.create(tmp.resolve("kept"));
        Path gone = tmp.resolve("deleted-since");
        WorkbenchStateStore store = new WorkbenchStateStore(tmp.resolve("workbench.json"));
        store.save(WorkbenchState.defaults().withRecent(gone.toString()).withRecent(ws.toString()));

        AtomicReference<WorkbenchWindow> window = new AtomicReference<>();
        robot.interact(() -> {
            window.set(new WorkbenchWindow(stage, store));
            window.get().show();
            window.get().showWelcome();
        });
        WelcomeView welcome = window.get().welcome();
        assertThat(welcome.isVisible()).isTrue();
        assertThat(welcome.recent()).containsExactly(new WelcomeView.Recent(ws, true),
                new WelcomeView.Recent(gone, false));
        assertThat(robot.lookup(".recent-missing").queryAs(Label.class).getText()).isEqualTo("not found");
        assertThat(robot.lookup(".recent-missing").queryAs(Label.class).getParent().getParent())
                .isInstanceOf(ListCell.class).matches(cell -> cell.getStyleClass().contains("missing"));

        // a missing one does nothing
        robot.clickOn("deleted-since");
        assertThat(welcome.isVisible()).isTrue();
        robot.clickOn("kept");
        assertThat(welcome.isVisible()).isFalse();
        assertThat(window.get().projectTree().getRoot().getValue().path()).isEqualTo(ws);
        robot.interact(stage::hide);
    }

    @Test
    void openSampleWorkspaceWritesTheSampleAndOpensIt(FxRobot robot) throws Exception {
        Path sample = tmp.resolve("sample");
        AtomicReference<WorkbenchWindow> window = new AtomicReference<>();
        robot.interact(() -> {
            window.set(new WorkbenchWindow(stage));
            window.get().setSampleLocation(sample);
            window.get().show();
            window.get().showWelcome();
        });
        robot.clickOn("#welcome-sample");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !window.get().welcome().isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(SampleWorkspace.isWorkspace(sample)).isTrue();
        assertThat(window.get().projectTree().getRoot().getValue().path()).isEqualTo(sample);
        robot.interact(stage::hide);
    }

    private static void openQuietly(WorkbenchWindow window, Path ws) {
        try {
            window.openWorkspace(ws);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static WorkspaceItem item(WorkbenchWindow window, ItemKind kind) {
        return window.projectTree().getRoot().getValue().children().stream()
                .flatMap(group -> group.children().stream())
                .filter(i -> i.kind() == kind).findFirst().orElseThrow();
    }
}
