package org.r1wb.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginDescriptor;
import org.r1wb.plugins.api.PluginLoader;
import org.r1wb.plugins.api.SpiVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code r1wb plugin list}: every plugin jar found, with its SHA-256, the SPI version it needs and its status. With
 * {@code --json} it prints one JSON object on one line instead, with each active plugin's stages (id, version, description,
 * ports, parameter schema): what the workbench shows in its palette without loading plugin code itself.
 */
@Command(name = "list", description = "List the plugins found (probed first, as a run does) with SHA-256, SPI and status.")
final class PluginListCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Option(names = "--json", description = "One JSON object: the plugins, and each active plugin's stages with their "
            + "ports and parameter schema.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        Path ws = workspace.path();
        if (json) {
            // one line, so a reader can tell it from anything else printed
            out().println(Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(describe(AgentPlugins.of(ws))));
            out().flush();
            return ExitCodes.OK;
        }
        out().println("plugin folders: " + PluginFolders.of(ws) + "; this agent offers SPI " + SpiVersion.CURRENT);
        AgentPlugins plugins = AgentPlugins.of(ws);
        if (plugins.statuses().isEmpty()) {
            out().println("no plugins found");
            return ExitCodes.OK;
        }
        out().printf("%-20s %-16s %-5s %-12s %-64s  %s%n", "ID", "VERSION", "SPI", "STATUS", "SHA-256", "JAR");
        for (LoadedPlugin plugin : plugins.statuses()) {
            PluginDescriptor d = plugin.descriptor();
            out().printf("%-20s %-16s %-5s %-12s %-64s  %s%n", plugin.name(), d == null ? "?" : d.version(),
                    d == null ? "?" : d.spiVersion(), plugin.state().name().toLowerCase(), sha256(plugin.jar()),
                    plugin.jar());
            if (plugin.error() != null) {
                out().println("  " + plugin.error());
            }
        }
        out().flush();
        return ExitCodes.OK;
    }

    /**
     * The {@code --json} document: {@code {"spi": "1.0", "plugins": [{id, version, spi, description, folder, state,
     * jar, sha256, error, stages, metrics, rewards}]}}; {@code folder} is {@code workspace} or {@code user}.
     */
    private static ObjectNode describe(AgentPlugins plugins) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("spi", SpiVersion.CURRENT.toString());
        ArrayNode list = root.putArray("plugins");
        for (LoadedPlugin plugin : plugins.statuses()) {
            PluginDescriptor d = plugin.descriptor();
            ObjectNode p = list.addObject();
            p.put("id", plugin.name());
            p.put("version", d == null ? null : d.version());
            p.put("spi", d == null ? null : d.spiVersion().toString());
            p.put("description", d == null ? null : d.description());
            p.put("folder", plugin.jar().getParent().equals(PluginFolders.user()) ? "user" : "workspace");
            p.put("state", plugin.state().name().toLowerCase());
            p.put("jar", plugin.jar().toString());
            p.put("sha256", sha256(plugin.jar()));
            p.put("error", plugin.error());
            ArrayNode stages = p.putArray("stages");
            for (Stage stage : plugins.stages().all()) {
                if (plugin.state() == LoadedPlugin.State.ACTIVE && contributedBy(stage, plugin)) {
                    ObjectNode s = stages.addObject();
                    s.put("id", stage.id());
                    s.put("version", stage.version());
                    s.put("description", stage.description());
                    s.set("inputs", Json.mapper().valueToTree(stage.inputs()));
                    s.set("outputs", Json.mapper().valueToTree(stage.outputs()));
                    s.set("params", Json.mapper().valueToTree(stage.params()));
                }
            }
            ArrayNode metrics = p.putArray("metrics");
            ArrayNode rewards = p.putArray("rewards");
            if (plugin.state() == LoadedPlugin.State.ACTIVE) {
                plugins.loaded().extensions(Metric.class).stream().filter(m -> contributedBy(m, plugin))
                        .forEach(m -> metrics.add(m.name()));
                plugins.loaded().extensions(Reward.class).stream().filter(r -> contributedBy(r, plugin))
                        .forEach(r -> rewards.add(r.name()));
            }
        }
        return root;
    }

    /** Whether {@code extension} comes from {@code plugin}: its class loader is the one named for the plugin. */
    private static boolean contributedBy(Object extension, LoadedPlugin plugin) {
        ClassLoader loader = extension.getClass().getClassLoader();
        return loader != null && (PluginLoader.LOADER_PREFIX + plugin.name()).equals(loader.getName());
    }

    /** The hex SHA-256 of a file's bytes. */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
