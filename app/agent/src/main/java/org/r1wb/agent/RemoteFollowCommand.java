package org.r1wb.agent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code r1wb remote follow RUN}: follows a run started with {@code r1wb remote start} until it ends. */
@Command(name = "follow", description = "Follow a remote run into the workspace (store and local journal) until it ends.")
public final class RemoteFollowCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Mixin
    private RemoteAccess access;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    private String runId;

    @Option(names = "--timeout", defaultValue = "P7D", description = "Give up after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RunFolder local = RunFolder.of(workspace.path(), runId);
        if (!Files.isRegularFile(local.spec())) {
            return badInput("no run '" + runId + "' in " + workspace.path().resolve("runs"));
        }
        if (!local.isRemote()) {
            return badInput("run " + runId + " is local: follow it with 'r1wb attach " + runId + "'");
        }
        return new RemoteFollowing(workspace.path(), local, access, out(), err()).follow(timeout);
    }
}
