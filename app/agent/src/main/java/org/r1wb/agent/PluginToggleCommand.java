package org.r1wb.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.r1wb.plugins.api.PluginDescriptor;
import org.r1wb.plugins.api.PluginLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code r1wb plugin enable|disable NAME}: turns plugins on or off by id or jar file name, in every plugin folder
 * that has one of that name, through {@link DisabledPlugins}. Only manifests are read: no plugin code runs.
 */
abstract class PluginToggleCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "NAME", description = "Plugin id or jar file name (as `r1wb plugin list` shows them).")
    private String name;

    /** Whether this command turns plugins on. */
    abstract boolean enable();

    @Override
    public Integer call() throws IOException {
        List<Path> all = PluginLoader.jars(PluginFolders.of(workspace.path()));
        List<Path> matched = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (Path jar : all) {
            PluginDescriptor descriptor = PluginProbe.descriptorOf(jar);
            String file = jar.getFileName().toString();
            known.add(descriptor == null ? file : descriptor.id() + " (" + file + ")");
            if (file.equals(name) || descriptor != null && descriptor.id().equals(name)) {
                matched.add(jar);
            }
        }
        if (matched.isEmpty()) {
            return badInput("no plugin '" + name + "' in " + PluginFolders.of(workspace.path())
                    + (known.isEmpty() ? "; there are none" : "; installed: " + known));
        }
        for (Path jar : matched) {
            DisabledPlugins.set(jar, !enable());
            out().println((enable() ? "enabled " : "disabled ") + jar);
        }
        return ExitCodes.OK;
    }

    /** {@code r1wb plugin enable NAME}. */
    @Command(name = "enable", description = "Enable a disabled plugin (by id or jar file name).")
    static final class Enable extends PluginToggleCommand {
        @Override
        boolean enable() {
            return true;
        }
    }

    /** {@code r1wb plugin disable NAME}. */
    @Command(name = "disable", description = "Disable a plugin: runs and the probe no longer load it.")
    static final class Disable extends PluginToggleCommand {
        @Override
        boolean enable() {
            return false;
        }
    }
}
