package org.r1wb.agent;

import org.r1wb.agent.remote.Backoff;
import org.r1wb.agent.remote.EventFollower;
import org.r1wb.agent.remote.JournalMirror;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.RemoteBinding;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.SshConnector;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.slurm.JobState;
import org.r1wb.agent.slurm.SlurmCluster;
import org.r1wb.agent.slurm.SlurmRunFollower;
import org.r1wb.agent.store.EventStore;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Follows a remote run into the workspace: each event goes into the SQLite store (idempotent by run and seq) and
 * into the local run folder's journal (its mirror), and a short line per status, checkpoint and, at most every
 * two seconds, training step goes to the terminal. A follow that was interrupted picks up from the store's last
 * seq; the mirror first catches up from the store.
 */
final class RemoteFollowing {

    private static final long PROGRESS_NANOS = 2_000_000_000L;

    private final Path workspace;
    private final RunFolder local;
    private final RemoteAccess access;
    private final PrintWriter out;
    private final PrintWriter err;

    RemoteFollowing(Path workspace, RunFolder local, RemoteAccess access, PrintWriter out, PrintWriter err) {
        this.workspace = workspace;
        this.local = local;
        this.access = access;
        this.out = out;
        this.err = err;
    }

    /** Follows until the run ends (its exit code) or {@code timeout} passes. */
    int follow(Duration timeout) throws IOException, InterruptedException {
        RemoteBinding binding = RemoteBinding.load(local.dir())
                .orElseThrow(() -> new IOException("run " + local.id() + " was not started remotely (no " + RemoteBinding.FILE + ")"));
        NodeList nodes = NodeList.load(workspace);
        RemoteRun run = binding.run(nodes);
        SshConnector connector = access.connector(nodes, err);
        try (EventStore store = EventStore.open(workspace.resolve(EventStore.FILE));
             JournalMirror mirror = JournalMirror.open(local.events())) {
            mirror.catchUp(store.events(run.runId(), mirror.lastSeq()));
            Printer printer = new Printer(mirror);
            String state;
            try {
                if (binding.slurm() == null) {
                    state = new EventFollower(connector, run, store, Backoff.standard(), printer).follow(timeout).finalState();
                } else {
                    String job = latestJob(connector, run, binding);
                    out.println("following Slurm job " + job + " of " + run.runId());
                    out.flush();
                    SlurmRunFollower.Result result = new SlurmRunFollower(connector, binding.slurm(), run, store,
                            Backoff.standard(), printer, Duration.ofSeconds(5)).follow(job, timeout);
                    state = result.runState();
                    out.println("Slurm job " + job + ": " + result.jobState());
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RemoteException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            out.println(run.runId() + ": " + state);
            return switch (state) {
                case "finished" -> ExitCodes.OK;
                case "cancelled" -> ExitCodes.CANCELLED;
                default -> ExitCodes.FAILED;
            };
        }
    }

    private static String latestJob(SshConnector connector, RemoteRun run, RemoteBinding binding) throws RemoteException {
        try (SshSession ssh = connector.open(run.node())) {
            List<String> jobs = new SlurmCluster(ssh, binding.slurm()).jobs(run);
            if (jobs.isEmpty()) {
                throw RemoteException.refused("run " + run.runId() + " has no Slurm job on " + run.node().address()
                        + ": submit it with 'r1wb remote start --slurm'");
            }
            return jobs.get(jobs.size() - 1);
        }
    }

    /** Mirrors each stored event and prints what a person following the run wants to see. */
    private final class Printer implements SlurmRunFollower.Listener {
        private final JournalMirror mirror;
        private long lastProgress;

        Printer(JournalMirror mirror) {
            this.mirror = mirror;
        }

        @Override
        public void stored(RunEvent event) {
            try {
                mirror.append(event);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run's local journal " + local.events(), e);
            }
            switch (event.type()) {
                case "status" -> out.println(event.text("state") + (event.text("message") == null ? "" : ": " + event.text("message")));
                case "checkpoint" -> out.println("checkpoint at step " + (long) event.number("step"));
                case "metric" -> {
                    if (!Double.isNaN(event.number("loss")) && System.nanoTime() - lastProgress > PROGRESS_NANOS) {
                        lastProgress = System.nanoTime();
                        out.printf("step %d  loss %.4f%n", (long) event.number("step"), event.number("loss"));
                    }
                }
                default -> {
                }
            }
            out.flush();
        }

        @Override
        public void lost(IOException cause, Duration wait) {
            err.println("link lost (" + cause.getMessage() + "); trying again in " + wait.toMillis() + " ms");
            err.flush();
        }

        @Override
        public void waiting(String job, JobState state) {
            if (System.nanoTime() - lastProgress > PROGRESS_NANOS * 5) {
                lastProgress = System.nanoTime();
                out.println("Slurm job " + job + " is " + state);
                out.flush();
            }
        }
    }
}
