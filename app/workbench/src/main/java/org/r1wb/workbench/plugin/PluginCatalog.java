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
 * The plugin stages of a workspace, asked of the agent: {@code r1wb plugin list --json} in a child process, so the
 * workbench never loads plugin code (a plugin that crashes or hangs can end that child, not the workbench). Blocks
 * for the child: call it off the FX thread.
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
        ProcessBuilder builder = new ProcessBuilder(launcher.command(
                List.of("plugin", "list", "--json", "-w", workspace.toString())));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
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
            throw new IOException("r1wb plugin list --json ended with exit code " + process.exitValue());
        }
        return parse(output);
    }

    /** The stages in the output of {@code r1wb plugin list --json} (its last line that is a JSON object). */
    public static List<PluginStage> parse(String output) throws IOException {
        String json = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("r1wb plugin list --json printed no JSON: " + output.strip()));
        List<PluginStage> stages = new ArrayList<>();
        for (JsonNode plugin : Json.mapper().readTree(json).path("plugins")) {
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
}
