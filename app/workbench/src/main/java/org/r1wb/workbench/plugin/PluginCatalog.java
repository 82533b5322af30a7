package org.r1wb.workbench.plugin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.PluginFolders;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.plugins.api.PluginLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The plugins of a workspace and their stages, asked of the agent: {@code r1wb plugin list --json} in a child process,
 * so the workbench never loads plugin code (a plugin that crashes or hangs can end that child, not the workbench).
 * Blocks for the child: call it off the FX thread.
 */
public final class PluginCatalog {

    private static final long TIMEOUT_SECONDS = 120;

    private PluginCatalog() {
    }

    /** Whether the workspace (or the user's plugin folder) has any plugin jar, without starting anything. */
    public static boolean hasJars(Path workspace) {
        try {
            return !PluginLoader.jars(PluginFolders.of(workspace)).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The stages of the workspace's active plugins.
     *
     * @throws IOException when the agent cannot be started, fails, or prints no JSON; the message says which
     */
    public static List<PluginStage> stages(Path workspace, LocalRunLauncher launcher) throws IOException {
        return parse(list(workspace, launcher));
    }

    /**
     * Every plugin jar of the workspace's and the user's plugin folders, with its status.
     *
     * @throws IOException when the agent cannot be started, fails, or prints no JSON; the message says which
     */
    public static List<InstalledPlugin> plugins(Path workspace, LocalRunLauncher launcher) throws IOException {
        return parsePlugins(list(workspace, launcher));
    }

    /** The child agent's JVM options: the user plugin folder this workbench was told about, if any. */
    public static List<String> agentOptions() {
        String userPlugins = System.getProperty(PluginFolders.USER_PROPERTY);
        return userPlugins == null ? List.of() : List.of("-D" + PluginFolders.USER_PROPERTY + "=" + userPlugins);
    }

    /** What {@code r1wb plugin list --json} printed. */
    private static String list(Path workspace, LocalRunLauncher launcher) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launcher.command(
                List.of("plugin", "list", "--json", "-w", workspace.toString())));
        // stderr too: an agent that refuses (a broken disabled.json) says why there
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("r1wb plugin list did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing plugins", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("r1wb plugin list --json ended with exit code " + process.exitValue() + ": "
                    + output.lines().filter(l -> l.startsWith("error:")).reduce((a, b) -> b).orElse(output.strip()));
        }
        return output;
    }

    /** The stages in the output of {@code r1wb plugin list --json}. */
    public static List<PluginStage> parse(String output) throws IOException {
        List<PluginStage> stages = new ArrayList<>();
        for (JsonNode plugin : pluginNodes(output)) {
            for (JsonNode stage : plugin.path("stages")) {
                stages.add(new PluginStage(plugin.path("id").asText(), stage.path("id").asText(),
                        stage.path("version").asInt(), stage.path("description").asText(),
                        Json.mapper().convertValue(stage.path("inputs"), new TypeReference<List<Port>>() { }),
                        Json.mapper().convertValue(stage.path("outputs"), new TypeReference<List<Port>>() { }),
                        Json.mapper().convertValue(stage.path("params"), new TypeReference<List<ParamSpec>>() { })));
            }
        }
        return stages;
    }

    /** The plugins in the output of {@code r1wb plugin list --json}. */
    public static List<InstalledPlugin> parsePlugins(String output) throws IOException {
        List<InstalledPlugin> plugins = new ArrayList<>();
        for (JsonNode p : pluginNodes(output)) {
            List<String> stages = new ArrayList<>();
            p.path("stages").forEach(stage -> stages.add(stage.path("id").asText()));
            plugins.add(new InstalledPlugin(p.path("id").asText(), text(p, "version"), text(p, "spi"),
                    p.path("description").asText(""), p.path("folder").asText(), p.path("state").asText(),
                    Path.of(p.path("jar").asText()), p.path("sha256").asText(), text(p, "error"), stages,
                    names(p.path("metrics")), names(p.path("rewards"))));
        }
        return plugins;
    }

    /** The {@code plugins} array of the output's last line that is a JSON object (anything else is not ours). */
    private static JsonNode pluginNodes(String output) throws IOException {
        String json = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("r1wb plugin list --json printed no JSON: " + output.strip()));
        return Json.mapper().readTree(json).path("plugins");
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
