package org.r1wb.workbench;

import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.snapshot.Snapshots;
import org.r1wb.workbench.run.RunView;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the shell with a finished run open to {@code docs/screenshots/shell.png}, the picture the README
 * shows. The run is a journal recorded from a real {@code ./r1wb demo} (400 steps of the sample MoE on this
 * project's 2-core CPU), so the picture shows what the product really does. Look at it after changing the
 * shell's layout or styles.
 */
@ExtendWith(ApplicationExtension.class)
class ShellScreenshotTest {

    /** Surefire runs in the module folder, {@code app/workbench}. */
    private static final Path SCREENSHOTS = Path.of("").toAbsolutePath().resolve("../../docs/screenshots").normalize();

    @TempDir
    Path ws;

    /** A run recorded from {@code ./r1wb demo}; see {@code src/test/resources/recorded/}. */
    private static final String RECORDED = "demo-9bded3bce96d";

    private WorkbenchWindow window;
    private long recordedLosses;

    @Start
    void start(Stage stage) throws IOException {
        Path workspace = SampleWorkspace.create(ws.resolve("workspace"));
        Path run = Files.createDirectories(workspace.resolve("runs").resolve(RECORDED));
        for (String file : List.of("run.json", "events.jsonl")) {
            try (InputStream in = getClass().getResourceAsStream("/recorded/" + RECORDED + "/" + file)) {
                Files.copy(in, run.resolve(file));
            }
        }
        recordedLosses = EventJournal.read(run.resolve("events.jsonl")).stream()
                .filter(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss"))).count();
        window = new WorkbenchWindow(stage);
        window.openWorkspace(workspace);
        window.show();
    }

    @Test
    void rendersTheShellWithARunOpen(FxRobot robot) throws Exception {
        AtomicReference<RunView> view = new AtomicReference<>();
        robot.interact(() -> view.set(window.openLatestRun().orElseThrow()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.get().viewModel().loadedProperty().get());
        // the Properties window follows the tab in front: the run's state, steps and last loss
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.properties().value("Last loss") != null);
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(recordedLosses).isEqualTo(400);
        assertThat(view.get().viewModel().lossSeries().size()).isEqualTo((int) recordedLosses);

        BufferedImage light = shoot(robot, "shell.png");
        robot.interact(() -> window.setTheme(Theme.DARK));
        WaitForAsyncUtils.waitForFxEvents();
        BufferedImage dark = shoot(robot, "shell-dark.png");
        robot.interact(() -> window.setTheme(Theme.LIGHT));

        for (BufferedImage png : new BufferedImage[] {light, dark}) {
            assertThat(png.getWidth()).isEqualTo((int) WorkbenchWindow.DEFAULT_WIDTH);
            assertThat(png.getHeight()).isEqualTo((int) WorkbenchWindow.DEFAULT_HEIGHT);
        }
        // the status bar's background follows the theme: bright in light, dark in dark
        int y = (int) WorkbenchWindow.DEFAULT_HEIGHT - 3;
        assertThat(brightness(light.getRGB(700, y))).isGreaterThan(200);
        assertThat(brightness(dark.getRGB(700, y))).isLessThan(80);
    }

    private BufferedImage shoot(FxRobot robot, String name) throws IOException {
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

    private static int brightness(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }
}
