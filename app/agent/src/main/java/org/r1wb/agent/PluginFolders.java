package org.r1wb.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * The only places plugins are loaded from: the workspace's {@code plugins/} folder and the user's plugin folder
 * ({@code ~/.config/r1wb/plugins}, or the folder the {@value #USER_PROPERTY} system property names).
 */
public final class PluginFolders {

    /** Overrides the user's plugin folder (tests, and a probe child, which is told the parent's choice). */
    public static final String USER_PROPERTY = "r1wb.plugins.user";

    /** The workspace folder that holds the workspace's plugins. */
    public static final String WORKSPACE_DIR = "plugins";

    private PluginFolders() {
    }

    /** The user's plugin folder. */
    public static Path user() {
        String chosen = System.getProperty(USER_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".config", "r1wb", "plugins");
    }

    /** The folders searched for {@code workspace}, workspace first. */
    public static List<Path> of(Path workspace) {
        return List.of(workspace.resolve(WORKSPACE_DIR), user());
    }
}
