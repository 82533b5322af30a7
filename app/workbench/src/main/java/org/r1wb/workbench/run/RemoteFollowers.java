package org.r1wb.workbench.run;

import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-attaches to the workspace's remote runs when the workbench opens it: every mirrored run folder
 * ({@code remote.json}) whose journal has not ended and whose follower is not alive gets a new child agent,
 * {@code r1wb remote follow RUN}, which asks the node for every event after the last one stored. So a run on a node
 * that went on while the workbench was closed (or its follower was killed) catches up and is followed live again.
 * Free of JavaFX; it only starts processes.
 */
public final class RemoteFollowers {

    private final Path workspace;
    private final LocalRunLauncher launcher;
    private final Path knownHosts;

    public RemoteFollowers(Path workspace, LocalRunLauncher launcher, Path knownHosts) {
        this.workspace = workspace;
        this.launcher = launcher;
        this.knownHosts = knownHosts;
    }

    /** Starts a follower for each remote run that needs one; returns the runs it started one for. */
    public List<RunFolder> resume() throws IOException {
        List<RunFolder> started = new ArrayList<>();
        for (RunFolder run : RunFolder.list(workspace)) {
            if (!run.isRemote() || RunFolder.isFinal(run.state()) || followerAlive(run)) {
                continue;
            }
            launcher.startAgent(run, List.of("remote", "follow", "-w", workspace.toString(), "--known-hosts",
                    knownHosts.toString(), run.id()), null);
            started.add(run);
        }
        return started;
    }

    /** Whether the process recorded in the run folder (the last follower started for it) still runs. */
    private static boolean followerAlive(RunFolder run) {
        try {
            Path pid = run.dir().resolve(RunFolder.PID);
            if (!Files.isRegularFile(pid)) {
                return false;
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
