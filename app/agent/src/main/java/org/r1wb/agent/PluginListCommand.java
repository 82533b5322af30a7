package org.r1wb.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginDescriptor;
import org.r1wb.plugins.api.SpiVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code r1wb plugin list}: every plugin jar found, with its SHA-256, the SPI version it needs and its status. */
@Command(name = "list", description = "List the plugins found (probed first, as a run does) with SHA-256, SPI and status.")
final class PluginListCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Override
    public Integer call() throws IOException {
        Path ws = workspace.path();
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
