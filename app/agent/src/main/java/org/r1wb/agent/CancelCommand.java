package org.r1wb.agent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * {@code r1wb cancel RUN}: asks the run's trainer to stop after its current step. It works through a
 * file in the run folder, so it works the same locally and on a remote node, whoever started the run.
 */
@Command(name = "cancel", description = "Ask a run to stop after its current step.")
public final class CancelCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    private String runId;

    @Override
    public Integer call() throws IOException {
        RunFolder run = RunFolder.of(workspace.path(), runId);
        if (!run.exists()) {
            return badInput("no run '" + runId + "' in " + workspace.path().resolve("runs"));
        }
        String state = run.state();
        if (RunFolder.isFinal(state)) {
            out().println(runId + " is already " + state);
            return ExitCodes.OK;
        }
        Files.writeString(run.dir().resolve(TrainCommand.CANCEL_FILE), "requested " + System.currentTimeMillis() + "\n");
        out().println("cancel requested for " + runId);
        return ExitCodes.OK;
    }
}
