package org.r1wb.workbench;

import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.snapshot.Snapshots;
import org.r1wb.workbench.state.WorkbenchState;
import org.r1wb.workbench.state.WorkbenchStateStore;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders search everywhere and the welcome screen from the real scene to {@code docs/screenshots/palette.png} and
 * {@code welcome.png}. Look at them after changing either.
 */
@ExtendWith(ApplicationExtension.class)
class PaletteScreenshotTest {

    private static final Path SCREENSHOTS = Path.of("").toAbsolutePath().resolve("../../docs/screenshots").normalize();

    @TempDir
    Path tmp;

    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = new Stage();
    }

    @Test
    void rendersThePalette(FxRobot robot) throws Exception {
        Path ws = SampleWorkspace.create(tmp.resolve("workspace"));
        DemoRun.create(ws, "demo-9bded3bce96d", "pretrain").status("finished", "done").steps(40, 0).close();
        AtomicReference<WorkbenchWindow> window = new AtomicReference<>();
        robot.interact(() -> {
            window.set(new WorkbenchWindow(stage));
            try {
                window.get().openWorkspace(ws);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            window.get().show();
            window.get().open(find(window.get().projectTree().getRoot(), ItemKind.MODEL));
        });
        WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS,
                () -> window.get().properties().value("Total parameters") != null);
        robot.interact(() -> window.get().palette().open());
        robot.write("sample");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.get().palette().results()).hasSizeGreaterThan(3);
        BufferedImage png = shoot(robot, window.get(), "palette.png");
        assertThat(png.getWidth()).isEqualTo((int) WorkbenchWindow.DEFAULT_WIDTH);
        // the panel is part of the scene, so the snapshot shows it
        assertThat(window.get().palette().localToScene(window.get().palette().getBoundsInLocal()).getHeight())
                .isGreaterThan(100);
        robot.interact(stage::hide);
    }

    @Test
    void rendersTheWelcomeScreen(FxRobot robot) throws Exception {
        Path kept = Files.createDirectories(tmp.resolve("projects/moe-routing-study"));
        Path sample = SampleWorkspace.create(tmp.resolve("projects/r1wb-sample"));
        Path tokenizer = Files.createDirectories(tmp.resolve("projects/tokenizer-ablation"));
        Path gone = tmp.resolve("projects/old-dense-baseline");
        WorkbenchStateStore store = new WorkbenchStateStore(tmp.resolve("workbench.json"));
        store.save(WorkbenchState.defaults().withRecent(gone.toString()).withRecent(tokenizer.toString())
                .withRecent(kept.toString()).withRecent(sample.toString()));
        AtomicReference<WorkbenchWindow> window = new AtomicReference<>();
        robot.interact(() -> {
            window.set(new WorkbenchWindow(stage, store));
            window.get().show();
            window.get().showWelcome();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.get().welcome().recent()).hasSize(4);
        shoot(robot, window.get(), "welcome.png");
        robot.interact(stage::hide);
    }

    private static BufferedImage shoot(FxRobot robot, WorkbenchWindow window, String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name);
        AtomicReference<IOException> failure = new AtomicReference<>();
        robot.interact(() -> {
            try {
                Snapshots.writePng(window.scene(), file);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return ImageIO.read(file.toFile());
    }

    private static WorkspaceItem find(TreeItem<WorkspaceItem> node, ItemKind kind) {
        if (node.getValue().kind() == kind) {
            return node.getValue();
        }
        for (TreeItem<WorkspaceItem> child : node.getChildren()) {
            WorkspaceItem found = find(child, kind);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
