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
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.model.recipe.reward.Rewards;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.NamedSpi;
import org.r1wb.plugins.api.PluginLoader;
import org.r1wb.plugins.api.PluginSet;
import org.r1wb.plugins.api.SpiVersion;

/**
 * The plugins of a workspace as a run sees them: every enabled jar in the {@link PluginFolders} probed first in a
 * child JVM ({@link PluginProbe}), only those that passed loaded into this one, and a status for each jar in folder
 * order (the ones the user disabled, see {@link DisabledPlugins}, listed as such and never loaded).
 *
 * @param statuses one per jar found, whether probed out or loaded here
 * @param loaded   what the jars that passed the probe contributed to this JVM
 */
public record AgentPlugins(List<LoadedPlugin> statuses, PluginSet loaded) {

    /** The extension types plugins may contribute to, SPI {@link SpiVersion#CURRENT}. */
    public static final Set<Class<?>> OFFERED = Set.of(Stage.class, Metric.class, Reward.class);

    /** The offered types that tasks and recipes name: a plugin may not take a built-in's or another plugin's name. */
    public static final List<NamedSpi<?>> NAMED = List.of(
            new NamedSpi<>(Metric.class, "metric", Metric::name, Metrics.builtIn().names()),
            new NamedSpi<>(Reward.class, "reward", Reward::name, Rewards.builtIn().names()));

    /** Probes and loads the enabled plugins of {@code workspace}; without any enabled jar no child JVM starts. */
    public static AgentPlugins of(Path workspace) throws IOException {
        List<Path> all = PluginLoader.jars(PluginFolders.of(workspace));
        Set<Path> disabled = DisabledPlugins.of(PluginFolders.of(workspace));
        List<Path> jars = all.stream().filter(jar -> !disabled.contains(jar)).toList();
        Map<Path, LoadedPlugin> byJar = new HashMap<>();
        all.stream().filter(disabled::contains).forEach(jar -> byJar.put(jar, new LoadedPlugin(jar,
                PluginProbe.descriptorOf(jar), LoadedPlugin.State.DISABLED, null)));
        if (jars.isEmpty()) {
            return new AgentPlugins(all.stream().map(byJar::get).toList(), PluginSet.none(StageRegistry.builtIn()));
        }
        PluginProbe.Result probe = new PluginProbe().run(workspace);
        List<Path> passed = jars.stream().filter(probe.passed()::contains).toList();
        PluginSet loaded = PluginSet.load(passed, StageRegistry.builtIn(), OFFERED, NAMED, SpiVersion.CURRENT,
                AgentPlugins.class.getClassLoader(), new PluginSet.Listener() { });
        probe.refused().forEach(p -> byJar.put(p.jar(), p));
        loaded.plugins().forEach(p -> byJar.put(p.jar(), p));
        List<LoadedPlugin> statuses = new ArrayList<>();
        for (Path jar : all) {
            LoadedPlugin status = byJar.get(jar);
            statuses.add(status != null ? status : new LoadedPlugin(jar, null, LoadedPlugin.State.FAILED,
                    probe.failure() != null ? probe.failure() : "the probe gave no verdict on it"));
        }
        return new AgentPlugins(List.copyOf(statuses), loaded);
    }

    /** The enabled plugin jars of {@code workspace}, in folder order: what the probe and a run load. */
    static List<Path> enabledJars(Path workspace) throws IOException {
        Set<Path> disabled = DisabledPlugins.of(PluginFolders.of(workspace));
        return PluginLoader.jars(PluginFolders.of(workspace)).stream().filter(jar -> !disabled.contains(jar)).toList();
    }

    /** The stage registry a run uses: built-ins plus the active plugins' stages. */
    public StageRegistry stages() {
        return loaded.stages();
    }

    /** The metrics an eval run uses: built-ins plus the active plugins' metrics. */
    public Metrics metrics() {
        return Metrics.builtIn().plus(loaded.extensions(Metric.class));
    }

    /** The rewards a recipe run uses: built-ins plus the active plugins' rewards. */
    public Rewards rewards() {
        return Rewards.builtIn().plus(loaded.extensions(Reward.class));
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
            case DISABLED -> "disabled (" + DisabledPlugins.FILE + " in its folder)";
        };
    }
}
