package org.r1wb.plugins.api;

/**
 * The entry point a plugin jar provides through {@code META-INF/services/org.r1wb.plugins.api.Plugin}.
 * Contributions (stages, metrics, rewards) are registered in {@link #register}; the agent calls it once,
 * in the agent process, never in the GUI.
 */
public interface Plugin {

    /** Adds this plugin's contributions. An exception here disables the plugin, not the agent. */
    void register(PluginContext context);
}
