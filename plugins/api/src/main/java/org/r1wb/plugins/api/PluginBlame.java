package org.r1wb.plugins.api;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the plugin behind a failure: the first stack frame, through the whole cause chain, whose class came from a
 * plugin class loader (named {@link PluginLoader#LOADER_PREFIX} + id). Needs no wrapping of plugin objects, so a
 * plugin stage keeps streaming like a built-in.
 */
public final class PluginBlame {

    private PluginBlame() {
    }

    /** The id of the plugin whose code threw {@code failure} (or one of its causes), if any did. */
    public static Optional<String> pluginOf(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                String loader = frame.getClassLoaderName();
                if (loader != null && loader.startsWith(PluginLoader.LOADER_PREFIX)) {
                    return Optional.of(loader.substring(PluginLoader.LOADER_PREFIX.length()));
                }
            }
        }
        return Optional.empty();
    }
}
