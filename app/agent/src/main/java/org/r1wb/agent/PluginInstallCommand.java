package org.r1wb.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code r1wb plugin install JAR [--user]}: copies a plugin jar into the workspace's (or the user's) plugin folder. */
@Command(name = "install", description = "Copy a plugin jar into the workspace's plugins/ (or, with --user, the user's).")
final class PluginInstallCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "JAR", description = "The plugin jar to install.")
    private Path jar;

    @Option(names = "--user", description = "Install into the user's plugin folder (every workspace) instead.")
    private boolean user;

    @Override
    public Integer call() throws IOException {
        Path folder = user ? PluginFolders.user() : workspace.path().resolve(PluginFolders.WORKSPACE_DIR);
        try {
            out().println("installed " + PluginInstaller.install(jar, folder));
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        return ExitCodes.OK;
    }
}
