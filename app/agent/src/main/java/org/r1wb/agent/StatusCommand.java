package org.r1wb.agent;

import org.r1wb.model.run.RunEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code r1wb status RUN}: the run's state and the message of its last status event. */
@Command(name = "status", description = "Show one run's state.")
public final class StatusCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "RUN", description = "Run id (its folder name under runs/).")
    private String runId;

    @Override
    public Integer call() throws IOException {
        RunFolder run = RunFolder.of(workspace.path(), runId);
        if (!run.exists()) {
            return badInput("no run '" + runId + "' in " + workspace.path().resolve("runs"));
        }
        String state = run.settle();
        Optional<RunEvent> status = run.lastStatus();
        out().println(run.id() + ": " + state
                + status.map(e -> e.text("message")).filter(m -> m != null && !m.isBlank()).map(m -> " — " + m).orElse(""));
        return ExitCodes.OK;
    }
}
