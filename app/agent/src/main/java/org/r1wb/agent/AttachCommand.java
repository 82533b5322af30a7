package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * {@code r1wb attach RUN --after SEQ}: prints every event after SEQ as journal lines, then follows the run
 * until it ends. A client that lost its connection reattaches with the last seq it stored and loses nothing.
 * A run whose agent died is first recorded as failed ({@link RunFolder#settle}), so the follower sees its end.
 */
@Command(name = "attach", description = "Print a run's events after a seq, then follow it until it ends.")
public final class AttachCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    private String runId;

    @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0", description = "Last seq already seen (default: ${DEFAULT-VALUE}).")
    private long after;

    @Option(names = "--no-follow", description = "Print what is there and stop.")
    private boolean noFollow;

    @Option(names = "--poll-ms", defaultValue = "200", hidden = true)
    private long pollMillis;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RunFolder run = RunFolder.of(workspace.path(), runId);
        if (!Files.isRegularFile(run.spec())) {
            return badInput("no run '" + runId + "' in " + workspace.path().resolve("runs"));
        }
        long seq = after;
        while (true) {
            String stateBefore = run.settle();
            for (RunEvent event : EventJournal.readAfter(run.events(), seq)) {
                out().println(EventJournal.toJson(event));
                seq = event.seq();
            }
            out().flush();
            if (out().checkError()) {
                // the reader is gone (an SSH link dropped): stop rather than follow for nobody
                return ExitCodes.FAILED;
            }
            if (noFollow || RunFolder.isFinal(stateBefore)) {
                return ExitCodes.OK;
            }
            Thread.sleep(pollMillis);
        }
    }
}
