package org.r1wb.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginLoader;
import org.r1wb.plugins.api.PluginSet;
import org.r1wb.plugins.api.SpiVersion;

/**
 * The plugins of a workspace as a run sees them: every jar in the {@link PluginFolders} probed first in a child JVM
 * ({@link PluginProbe}), only those that passed loaded into this one, and a status for each jar in folder order.
 *
 * @param statuses one per jar found, whether probed out or loaded here
 * @param loaded   what the jars that passed the probe contributed to this JVM
 */
public record AgentPlugins(List<LoadedPlugin> statuses, PluginSet loaded) {

    /** The extension types plugins may contribute to, SPI {@link SpiVersion#CURRENT}. */
    public static final Set<Class<?>> OFFERED = Set.of(Stage.class, Metric.class, Reward.class);

    /** Probes and loads the plugins of {@code workspace}; without any jar no child JVM starts. */
    public static AgentPlugins of(Path workspace) throws IOException {
        List<Path> jars = PluginLoader.jars(PluginFolders.of(workspace));
        if (jars.isEmpty()) {
            return new AgentPlugins(List.of(), PluginSet.none(StageRegistry.builtIn()));
        }
        PluginProbe.Result probe = new PluginProbe().run(workspace);
        List<Path> passed = jars.stream().filter(probe.passed()::contains).toList();
        PluginSet loaded = PluginSet.load(passed, StageRegistry.builtIn(), OFFERED, SpiVersion.CURRENT,
                AgentPlugins.class.getClassLoader());
        Map<Path, LoadedPlugin> byJar = new HashMap<>();
        probe.refused().forEach(p -> byJar.put(p.jar(), p));
        loaded.plugins().forEach(p -> byJar.put(p.jar(), p));
        List<LoadedPlugin> statuses = new ArrayList<>();
        for (Path jar : jars) {
            LoadedPlugin status = byJar.get(jar);
            statuses.add(status != null ? status : new LoadedPlugin(jar, null, LoadedPlugin.State.FAILED,
                    probe.failure() != null ? probe.failure() : "the probe gave no verdict on it"));
        }
        return new AgentPlugins(List.copyOf(statuses), loaded);
    }

    /** The stage registry a run uses: built-ins plus the active plugins' stages. */
    public StageRegistry stages() {
        return loaded.stages();
    }

    /** Prints one line per plugin, e.g. {@code plugin foo 1.0 (foo.jar): active}. */
    public void print(PrintWriter out) {
        statuses.forEach(plugin -> out.println(statusLine(plugin)));
        out.flush();
    }

    /** The line {@link #print} shows for {@code plugin}. */
    public static String statusLine(LoadedPlugin plugin) {
        String name = plugin.descriptor() == null ? plugin.name()
                : plugin.name() + " " + plugin.descriptor().version() + " (" + plugin.jar().getFileName() + ")";
        return "plugin " + name + ": " + switch (plugin.state()) {
            case ACTIVE -> "active";
            case INCOMPATIBLE -> "incompatible: " + plugin.error();
            case FAILED -> "failed: " + plugin.error();
        };
    }
}
