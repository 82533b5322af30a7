package org.r1wb.workbench;

import javafx.application.Application;

import org.r1wb.resources.SampleWorkspace;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point of the workbench jar. A plain class on purpose: a main class that extends
 * {@link Application} refuses to start when JavaFX is on the class path rather than the module path.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // belt and braces: nothing in this process may let DJL reach the network
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        try {
            LaunchOptions options = LaunchOptions.parse(Arrays.asList(args));
            if (options.workspace().isPresent()) {
                Path workspace = options.workspace().get();
                if (options.sample() && !SampleWorkspace.isWorkspace(workspace)) {
                    System.err.println("writing the sample workspace to " + workspace);
                    SampleWorkspace.create(workspace);
                }
                if (!Files.isDirectory(workspace)) {
                    throw new IllegalArgumentException("workspace folder " + workspace
                            + " does not exist; create one with `r1wb demo`\n" + LaunchOptions.USAGE);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage() + ": " + e.getCause().getMessage());
            System.exit(3);
        }
        Application.launch(WorkbenchApp.class, args);
    }
}
