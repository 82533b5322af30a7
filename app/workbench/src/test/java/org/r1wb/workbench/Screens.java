package org.r1wb.workbench;

import javafx.scene.Scene;
import org.r1wb.views.snapshot.Snapshots;
import org.testfx.api.FxRobot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.testfx.util.WaitForAsyncUtils;

/** What the GUI tests share: where screenshots go, how to write one and how to wait for the FX thread. */
public final class Screens {

    /** Surefire runs in the module folder, {@code app/workbench}. */
    public static final Path DIR = Path.of("").toAbsolutePath().resolve("../../docs/screenshots").normalize();

    private Screens() {
    }

    /** Renders {@code scene} to {@code docs/screenshots/<name>}. */
    public static Path shoot(FxRobot robot, Scene scene, String name) throws IOException {
        Path file = DIR.resolve(name);
        AtomicReference<IOException> failure = new AtomicReference<>();
        robot.interact(() -> {
            try {
                Snapshots.writePng(scene, file);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return file;
    }

    /** Waits up to {@code seconds} for {@code condition}, then lets the FX thread catch up. */
    public static void waitFor(int seconds, BooleanSupplier condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
