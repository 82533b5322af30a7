package org.r1wb.workbench.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * One plugin jar as the agent reported it ({@code r1wb plugin list --json}): what the plugin manager lists.
 *
 * @param id          the plugin id, or the jar's file name when its manifest is unreadable
 * @param version     the plugin's version; null when unknown
 * @param spi         the plugin SPI version it needs; null when unknown
 * @param description the manifest's description; may be empty
 * @param folder      {@code workspace} or {@code user}: which plugin folder holds it
 * @param state       {@code active}, {@code disabled}, {@code failed} or {@code incompatible}
 * @param jar         the jar's path
 * @param sha256      the jar's SHA-256, hex
 * @param error       why it is not active (failed, incompatible); null otherwise
 * @param stages      ids of the stages it contributes (active plugins only)
 * @param metrics     names of the eval metrics it contributes
 * @param rewards     names of the recipe rewards it contributes
 */
public record InstalledPlugin(String id, String version, String spi, String description, String folder, String state,
                              Path jar, String sha256, String error, List<String> stages, List<String> metrics,
                              List<String> rewards) {

    /** The state the agent reports for a plugin the user turned off. */
    public static final String DISABLED = "disabled";

    public InstalledPlugin {
        stages = List.copyOf(stages);
        metrics = List.copyOf(metrics);
        rewards = List.copyOf(rewards);
    }

    /** Whether the user turned it off. */
    public boolean disabled() {
        return DISABLED.equals(state);
    }

    /** The state, with the error that names the plugin's problem when it has one. */
    public String status() {
        return error == null || error.isEmpty() ? state : state + ": " + error;
    }
}
