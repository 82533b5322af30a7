package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code r1wb runs}: every run of the workspace with its state, steps and last loss. */
@Command(name = "runs", description = "List the workspace's runs with their state.")
public final class RunsCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Override
    public Integer call() throws IOException {
        List<RunFolder> runs = RunFolder.list(workspace.path());
        if (runs.isEmpty()) {
            out().println("no runs in " + workspace.path());
            return ExitCodes.OK;
        }
        out().printf("%-32s %-10s %8s %10s%n", "RUN", "STATE", "STEP", "LOSS");
        for (RunFolder run : runs) {
            double step = Double.NaN;
            double loss = Double.NaN;
            for (RunEvent event : EventJournal.read(run.events())) {
                if ("metric".equals(event.type()) && !Double.isNaN(event.number("loss"))) {
                    step = event.number("step");
                    loss = event.number("loss");
                }
            }
            out().printf("%-32s %-10s %8s %10s%n", run.id(), run.settle(),
                    Double.isNaN(step) ? "-" : String.valueOf((long) step),
                    Double.isNaN(loss) ? "-" : String.format("%.4f", loss));
        }
        return ExitCodes.OK;
    }
}
