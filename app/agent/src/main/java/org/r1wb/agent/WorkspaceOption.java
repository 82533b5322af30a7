package org.r1wb.agent;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --workspace} option shared by every command that works inside a workspace. */
public final class WorkspaceOption {

    /** Environment variable the launcher sets to the bundled sample workspace. */
    public static final String ENV = "R1WB_WORKSPACE";

    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR",
            description = "Workspace folder (default: $R1WB_WORKSPACE, else ~/.r1wb/sample-workspace).")
    private Path workspace;

    /** The chosen workspace, absolute. */
    public Path path() {
        if (workspace != null) {
            return workspace.toAbsolutePath().normalize();
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".r1wb", "sample-workspace");
    }
}
