package org.r1wb.workbench;

import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.r1wb.views.snapshot.Snapshots;
import org.r1wb.workbench.run.RunView;
import org.r1wb.workbench.state.WorkbenchStateStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The JavaFX application: parses the launch options and opens the main window on the workspace. */
public final class WorkbenchApp extends Application {

    /** Time for the chart's first layout after the run has loaded, before a screenshot is taken. */
    private static final Duration SETTLE = Duration.millis(600);

    private WorkbenchWindow window;

    @Override
    public void start(Stage stage) throws IOException {
        LaunchOptions options = LaunchOptions.parse(getParameters().getRaw());
        // a screenshot is a picture of the default layout, not of whatever this user last arranged
        window = new WorkbenchWindow(stage, options.screenshot().isPresent() ? null : WorkbenchStateStore.standard());
        if (options.workspace().isEmpty()) {
            window.show();
            window.showWelcome();
            return;
        }
        window.openWorkspace(options.workspace().get());
        window.show();
        if (options.screenshot().isPresent()) {
            screenshotAndExit(options.screenshot().get());
        } else if (window.editors().getTabs().isEmpty()) {
            // nothing restored from the last session: show where work left off
            window.openLatestRun();
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }

    /** Opens the latest run, waits for it to load and settle, writes the window to {@code file} and exits. */
    private void screenshotAndExit(Path file) {
        Optional<RunView> run = window.openLatestRun();
        if (run.isEmpty() || run.get().viewModel().loadedProperty().get()) {
            settleThenShoot(file);
            return;
        }
        run.get().viewModel().loadedProperty().addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Boolean> obs, Boolean old, Boolean now) {
                if (now) {
                    obs.removeListener(this);
                    settleThenShoot(file);
                }
            }
        });
    }

    private void settleThenShoot(Path file) {
        PauseTransition pause = new PauseTransition(SETTLE);
        pause.setOnFinished(event -> {
            try {
                Snapshots.writePng(window.scene(), file);
                System.out.println("screenshot written to " + file);
            } catch (IOException e) {
                System.err.println("cannot write the screenshot " + file + ": " + e.getMessage());
            }
            Platform.exit();
        });
        pause.play();
    }
}
