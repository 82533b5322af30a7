package org.r1wb.plugins.api;

import java.nio.file.Path;

/** The outcome of loading one jar: its descriptor (when readable), its state, and the error that disabled it. */
public record LoadedPlugin(Path jar, PluginDescriptor descriptor, State state, String error) {

    /** Where a plugin stands after loading; {@code DISABLED} ones were turned off by the user and never loaded. */
    public enum State { ACTIVE, INCOMPATIBLE, FAILED, DISABLED }

    /** The name to show the user: the plugin id when known, else the jar's file name. */
    public String name() {
        return descriptor != null ? descriptor.id() : jar.getFileName().toString();
    }
}
