package org.r1wb.plugins.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;

/**
 * The plugins loaded into this JVM and what they added: a status per jar, the stage registry a run uses (the
 * built-ins plus every active plugin's stages) and the other extensions by SPI type. A plugin whose stage id is
 * already taken is refused whole, by name, so a pipeline never runs a stage other than the one it names.
 */
public final class PluginSet {

    private final List<LoadedPlugin> plugins;
    private final StageRegistry stages;
    private final List<Contributions> active;

    private PluginSet(List<LoadedPlugin> plugins, StageRegistry stages, List<Contributions> active) {
        this.plugins = List.copyOf(plugins);
        this.stages = stages;
        this.active = List.copyOf(active);
    }

    /** Hears about each jar before and after it loads: a probe reports from here, so a crash mid-load is placed. */
    public interface Listener {

        /** {@code jar}'s code is about to run. */
        default void loading(Path jar) {
        }

        /** {@code jar} loaded, or failed to, without taking the JVM down. */
        default void loaded(LoadedPlugin plugin) {
        }
    }

    /** No plugins: the built-in stages only. */
    public static PluginSet none(StageRegistry builtIn) {
        return new PluginSet(List.of(), builtIn, List.of());
    }

    /**
     * Loads {@code jars} in order, each in its own class loader under {@code parent}, accepting contributions of
     * the {@code offered} SPI types ({@link Stage} among them for stages to count).
     */
    public static PluginSet load(List<Path> jars, StageRegistry builtIn, Set<Class<?>> offered, SpiVersion host,
                                 ClassLoader parent) {
        return load(jars, builtIn, offered, List.of(), host, parent, new Listener() { });
    }

    /** {@link #load(List, StageRegistry, Set, SpiVersion, ClassLoader)}, telling {@code listener} about each jar. */
    public static PluginSet load(List<Path> jars, StageRegistry builtIn, Set<Class<?>> offered, SpiVersion host,
                                 ClassLoader parent, Listener listener) {
        return load(jars, builtIn, offered, List.of(), host, parent, listener);
    }

    /**
     * Loads {@code jars} as {@link #load(List, StageRegistry, Set, SpiVersion, ClassLoader, Listener)} does, and
     * refuses a plugin whose extension of a {@code named} SPI reuses a built-in's or an earlier plugin's name.
     */
    public static PluginSet load(List<Path> jars, StageRegistry builtIn, Set<Class<?>> offered, List<NamedSpi<?>> named,
                                 SpiVersion host, ClassLoader parent, Listener listener) {
        PluginLoader loader = new PluginLoader(host, parent);
        List<LoadedPlugin> statuses = new ArrayList<>();
        List<Contributions> active = new ArrayList<>();
        Map<String, String> stageOwners = new HashMap<>();
        Map<String, String> nameOwners = new HashMap<>();
        StageRegistry stages = builtIn;
        for (Path jar : jars) {
            listener.loading(jar);
            Contributions contributions = new Contributions(offered);
            LoadedPlugin loaded = loader.load(jar, contributions);
            if (loaded.state() == LoadedPlugin.State.ACTIVE) {
                List<Stage> added = contributions.of(Stage.class);
                String clash = clash(added, builtIn, stageOwners);
                for (int i = 0; clash == null && i < named.size(); i++) {
                    clash = nameClash(named.get(i), contributions, nameOwners);
                }
                if (clash != null) {
                    loaded = new LoadedPlugin(jar, loaded.descriptor(), LoadedPlugin.State.FAILED, clash);
                } else {
                    stages = stages.plus(added);
                    for (Stage stage : added) {
                        stageOwners.put(stage.id(), loaded.name());
                    }
                    for (NamedSpi<?> spi : named) {
                        for (String name : names(spi, contributions)) {
                            nameOwners.put(spi.kind() + ":" + name, loaded.name());
                        }
                    }
                    active.add(contributions);
                }
            }
            statuses.add(loaded);
            listener.loaded(loaded);
        }
        return new PluginSet(statuses, stages, active);
    }

    private static <T> List<String> names(NamedSpi<T> spi, Contributions contributions) {
        return contributions.of(spi.type()).stream().map(spi.nameOf()).toList();
    }

    private static String nameClash(NamedSpi<?> spi, Contributions contributions, Map<String, String> owners) {
        Set<String> own = new HashSet<>();
        for (String name : names(spi, contributions)) {
            if (spi.builtIn().contains(name)) {
                return spi.kind() + " '" + name + "' is a built-in " + spi.kind() + "'s name; rename the plugin's "
                        + spi.kind();
            }
            String owner = owners.get(spi.kind() + ":" + name);
            if (owner != null) {
                return spi.kind() + " '" + name + "' is already taken by plugin '" + owner + "'; rename one of them";
            }
            if (!own.add(name)) {
                return spi.kind() + " '" + name + "' is contributed twice; give each " + spi.kind() + " its own name";
            }
        }
        return null;
    }

    private static String clash(List<Stage> added, StageRegistry builtIn, Map<String, String> stageOwners) {
        Set<String> own = new HashSet<>();
        for (Stage stage : added) {
            if (builtIn.find(stage.id()).isPresent()) {
                return "stage id '" + stage.id() + "' is a built-in stage's; rename the plugin's stage";
            }
            if (stageOwners.containsKey(stage.id())) {
                return "stage id '" + stage.id() + "' is already taken by plugin '" + stageOwners.get(stage.id())
                        + "'; rename one of them";
            }
            if (!own.add(stage.id())) {
                return "stage id '" + stage.id() + "' is contributed twice; give each stage its own id";
            }
        }
        return null;
    }

    /** One status per jar, in load order. */
    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** The built-in stages and the active plugins' stages. */
    public StageRegistry stages() {
        return stages;
    }

    /** The active plugins' extensions of {@code spi} (a metric, a reward), in load order. */
    public <T> List<T> extensions(Class<T> spi) {
        List<T> found = new ArrayList<>();
        active.forEach(contributions -> found.addAll(contributions.of(spi)));
        return found;
    }
}
