package org.r1wb.agent;

import picocli.CommandLine.Command;

/** {@code r1wb plugin new|list|check|install|enable|disable}. */
@Command(name = "plugin", description = "Plugins: new project, list installed, check loading, install, enable, disable.",
        subcommands = {PluginNewCommand.class, PluginListCommand.class, PluginCheckCommand.class,
            PluginInstallCommand.class, PluginToggleCommand.Enable.class, PluginToggleCommand.Disable.class})
public final class PluginCommand {
}
