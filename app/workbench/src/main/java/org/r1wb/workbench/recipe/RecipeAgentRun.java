package org.r1wb.workbench.recipe;

import javafx.application.Platform;
import javafx.concurrent.Task;
import org.r1wb.agent.LocalRunLauncher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a recipe (or one stage of it) in a child agent, {@code r1wb recipe run FILE [--stage NAME] --runs DIR}: the
 * training never runs in the workbench's process. The agent's lines go to {@code log} on the FX thread; the task's
 * value is the agent's exit code (0: every stage run finished or was skipped). Cancelling stops the agent, which
 * checkpoints the running stage first.
 */
public final class RecipeAgentRun extends Task<Integer> {

    private final List<String> args;
    private final LocalRunLauncher launcher;
    private final Consumer<String> log;
    private volatile Process process;

    /** A run of {@code file}'s stages into {@code runs}; {@code stage}, when not {@code null}, runs that one alone. */
    public RecipeAgentRun(Path workspace, Path file, Path runs, String stage, LocalRunLauncher launcher,
                          Consumer<String> log) {
        List<String> command = new ArrayList<>(List.of("recipe", "run", "-w", workspace.toString(), file.toString(),
                "--runs", runs.toString()));
        if (stage != null) {
            command.addAll(List.of("--stage", stage));
        }
        this.args = List.copyOf(command);
        this.launcher = launcher;
        this.log = log;
    }

    /** The agent's arguments after {@code r1wb}. */
    public List<String> args() {
        return args;
    }

    @Override
    protected Integer call() throws IOException, InterruptedException {
        updateMessage("Running " + String.join(" ", args.subList(0, 2)) + " in the agent");
        ProcessBuilder builder = new ProcessBuilder(launcher.command(args));
        builder.redirectErrorStream(true);
        process = builder.start();
        process.getOutputStream().close();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String shown = line;
                Platform.runLater(() -> log.accept("agent: " + shown));
            }
        }
        return process.waitFor();
    }

    @Override
    protected void cancelled() {
        Process running = process;
        if (running != null) {
            // SIGTERM: the agent's shutdown hook checkpoints the running stage before it exits
            running.destroy();
        }
    }
}
