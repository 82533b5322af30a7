package org.r1wb.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginSet;
import org.r1wb.plugins.api.SpiVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code r1wb plugin check}: loads each enabled plugin jar in turn in this JVM, printing a line before and after each. With
 * {@code --json} it is the child half of {@link PluginProbe}: if a plugin kills this JVM, the last {@code loading}
 * line names it.
 */
@Command(name = "check", description = "Load every plugin in turn and report each (the probe a run starts first).")
final class PluginCheckCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Option(names = "--json", description = "One JSON object a line (loading / loaded / done), for the probe.")
    private boolean json;

    @Option(names = "--skip", paramLabel = "JAR", description = "A jar not to load (one the probe already blamed).")
    private List<Path> skip = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<Path> skipped = skip.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        List<Path> jars = AgentPlugins.enabledJars(workspace.path()).stream()
                .filter(jar -> !skipped.contains(jar.toAbsolutePath().normalize())).toList();
        PluginSet.Listener report = new PluginSet.Listener() {
            @Override
            public void loading(Path jar) {
                if (json) {
                    out().println(ProbeProtocol.loading(jar));
                    out().flush();
                }
            }

            @Override
            public void loaded(LoadedPlugin plugin) {
                out().println(json ? ProbeProtocol.loaded(plugin) : AgentPlugins.statusLine(plugin));
                out().flush();
            }
        };
        PluginSet.load(jars, StageRegistry.builtIn(), AgentPlugins.OFFERED, AgentPlugins.NAMED, SpiVersion.CURRENT,
                PluginCheckCommand.class.getClassLoader(), report);
        if (json) {
            out().println(ProbeProtocol.done());
        } else if (jars.isEmpty()) {
            out().println("no enabled plugins in " + PluginFolders.of(workspace.path()));
        }
        out().flush();
        return ExitCodes.OK;
    }
}
