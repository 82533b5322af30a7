package org.r1wb.agent;

import picocli.CommandLine.Command;

/** {@code r1wb plugin new|list|check}. */
@Command(name = "plugin", description = "Plugins: new project, list installed, check loading.",
        subcommands = {PluginNewCommand.class, PluginListCommand.class, PluginCheckCommand.class})
public final class PluginCommand {
}
