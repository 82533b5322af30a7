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
 * While no event comes it writes an empty line each second, so it stops soon after its reader is gone.
 */
@Command(name = "attach", description = "Print a run's events after a seq, then follow it until it ends.")
public final class AttachCommand extends BaseCommand implements Callable<Integer> {

    private static final long HEARTBEAT_NANOS = 1_000_000_000L;

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
        JournalTail journal = new JournalTail(run.events());
        String state = "created";
        long lastWrite = System.nanoTime();
        while (true) {
            // probed before reading: a free lock and a journal that still says running afterwards mean a dead agent
            boolean agentGone = !run.agentAlive();
            for (RunEvent event : journal.next()) {
                if ("status".equals(event.type())) {
                    state = event.text("state");
                }
                if (event.seq() > after) {
                    out().println(EventJournal.toJson(event));
                    lastWrite = System.nanoTime();
                }
            }
            if ("running".equals(state) && agentGone) {
                // its failed status is printed on the next round
                run.settle();
            }
            if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
                // an empty line while idle: the only way to learn that a reader over SSH has gone away
                out().println();
                lastWrite = System.nanoTime();
            }
            out().flush();
            // picocli's writer wraps System.out, a PrintStream that keeps its own error flag: ask both
            if (out().checkError() || System.out.checkError()) {
                // the reader is gone (an SSH link dropped): stop rather than follow for nobody
                return ExitCodes.FAILED;
            }
            if (noFollow || RunFolder.isFinal(state)) {
                return ExitCodes.OK;
            }
            Thread.sleep(pollMillis);
        }
    }
}
