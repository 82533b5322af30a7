package org.r1wb.plugins.api;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads plugin jars from the folders the user chose, and from nowhere else: one class loader per jar,
 * its manifest's SPI version checked before any of its code runs, and every failure confined to that
 * plugin, which is reported by name and left disabled.
 */
public final class PluginLoader {

    /** Each plugin class loader's name is this prefix and the plugin id: stack frames name the plugin by it. */
    public static final String LOADER_PREFIX = "plugin:";

    private final SpiVersion host;
    private final ClassLoader parent;

    /** A loader for this host's SPI version whose plugins see the agent's classes through {@code parent}. */
    public PluginLoader(SpiVersion host, ClassLoader parent) {
        this.host = host;
        this.parent = parent;
    }

    /** Loads every {@code *.jar} directly inside each folder (missing folders are skipped), in name order. */
    public List<LoadedPlugin> load(List<Path> folders, PluginContext context) {
        List<LoadedPlugin> loaded = new ArrayList<>();
        for (Path folder : folders) {
            try {
                jars(List.of(folder)).forEach(jar -> loaded.add(load(jar, context)));
            } catch (IOException e) {
                loaded.add(new LoadedPlugin(folder, null, LoadedPlugin.State.FAILED,
                        "cannot list plugin folder: " + e.getMessage()));
            }
        }
        return loaded;
    }

    /** The {@code *.jar} files directly inside each folder, folder by folder in name order; missing folders are skipped. */
    public static List<Path> jars(List<Path> folders) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> jars = Files.list(folder)) {
                jars.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
                        .forEach(found::add);
            }
        }
        return found;
    }

    /**
     * Loads one jar into a class loader of its own and lets its {@link Plugin}s register into {@code context};
     * every failure is returned, never thrown.
     */
    public LoadedPlugin load(Path jar, PluginContext context) {
        PluginDescriptor descriptor;
        try (JarFile file = new JarFile(jar.toFile())) {
            descriptor = PluginDescriptor.fromManifest(file.getManifest());
        } catch (IOException | IllegalArgumentException e) {
            return new LoadedPlugin(jar, null, LoadedPlugin.State.FAILED, "unreadable plugin: " + e.getMessage());
        }
        if (!host.satisfies(descriptor.spiVersion())) {
            return new LoadedPlugin(jar, descriptor, LoadedPlugin.State.INCOMPATIBLE, "needs plugin SPI "
                    + descriptor.spiVersion() + ", this agent offers " + host);
        }
        try {
            URLClassLoader classLoader = new URLClassLoader(LOADER_PREFIX + descriptor.id(),
                    new URL[] {jar.toUri().toURL()}, parent);
            int registered = 0;
            List<String> shadowed = new ArrayList<>();
            for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class, classLoader).stream().toList()) {
                // A provider the parent defined (a plugin on the agent's class path) is not this jar's code.
                if (provider.type().getClassLoader() == classLoader) {
                    provider.get().register(context);
                    registered++;
                } else {
                    shadowed.add(provider.type().getName());
                }
            }
            if (registered == 0) {
                return new LoadedPlugin(jar, descriptor, LoadedPlugin.State.FAILED, shadowed.isEmpty()
                        ? "no META-INF/services/" + Plugin.class.getName() + " entry"
                        : "its plugin classes " + shadowed + " are on the agent's class path too; remove them there");
            }
            return new LoadedPlugin(jar, descriptor, LoadedPlugin.State.ACTIVE, null);
        } catch (IOException | RuntimeException | ServiceConfigurationError | LinkageError e) {
            return new LoadedPlugin(jar, descriptor, LoadedPlugin.State.FAILED,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
