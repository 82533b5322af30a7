package org.r1wb.agent;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code r1wb} command line: one class per subcommand, built by {@link #commandLine()} for main and tests. */
@Command(name = "r1wb", mixinStandardHelpOptions = true, versionProvider = R1wbCommand.Version.class,
        description = "R1 Workbench agent: pipelines, training, evaluation and runs, headless.",
        subcommands = {DemoCommand.class, PipelineCommand.class, TokenizerCommand.class, TrainCommand.class, GenerateCommand.class, ExportCommand.class, EvalCommand.class,
            ModelCommand.class, RecipeCommand.class, RunsCommand.class, StatusCommand.class, AttachCommand.class, CancelCommand.class, InspectCommand.class, RemoteCommand.class,
            PluginCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class R1wbCommand implements Runnable {

    /** The one factory of the command line, shared by {@link Main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new R1wbCommand());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        return line;
    }

    /** This build's version, from the jar manifest ("dev" when run from classes). */
    public static String version() {
        String version = R1wbCommand.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Feeds {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"r1wb " + version()};
        }
    }
}
