package org.r1wb.agent.slurm;

import org.r1wb.agent.remote.Backoff;
import org.r1wb.agent.remote.EventFollower;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.SshConnector;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.store.EventStore;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Follows a run that Slurm drives, through the queue and across requeues: while its job waits it asks
 * {@code squeue} every {@code poll}; while the job runs it streams the run's events into the local store with an
 * {@link EventFollower} (so link cuts are survived as for any remote run); when the job is over it settles the
 * run's state on the node ({@code r1wb status}: a job killed before its trainer could say so is marked failed) and
 * stores the last events.
 */
public final class SlurmRunFollower {

    /** How following ended: the run's state, the job's, and how many events the store holds for the run. */
    public record Result(String runState, JobState jobState, long events) {
    }

    /** Observes the follower. */
    public interface Listener extends EventFollower.Listener {
        /** The job is queued or held (shown as such, not as a stalled run). */
        default void waiting(String job, JobState state) {
        }
    }

    private static final Set<String> FINAL_RUN = Set.of("finished", "failed", "cancelled", "lost");

    private final SshConnector connector;
    private final SlurmTarget target;
    private final RemoteRun run;
    private final EventStore store;
    private final Backoff backoff;
    private final Listener listener;
    private final Duration poll;

    public SlurmRunFollower(SshConnector connector, SlurmTarget target, RemoteRun run, EventStore store,
                            Backoff backoff, Listener listener, Duration poll) {
        this.connector = connector;
        this.target = target;
        this.run = run;
        this.store = store;
        this.backoff = backoff;
        this.listener = listener;
        this.poll = poll;
    }

    /** Follows job {@code job} of the run until it is over and its events are stored, or {@code timeout} passes. */
    public Result follow(String job, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative()) {
                throw new IOException("gave up following Slurm job " + job + " of run " + run.runId() + " after "
                        + timeout + "; it goes on there: follow it again later");
            }
            JobState state;
            try {
                state = jobState(job);
            } catch (RemoteException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                Duration wait = backoff.next();
                listener.lost(e, wait);
                Thread.sleep(wait.toMillis());
                continue;
            }
            if (state.isWaiting()) {
                listener.waiting(job, state);
                Thread.sleep(poll.toMillis());
                continue;
            }
            if (state.isFinal()) {
                String runState = settledRunState();
                if (FINAL_RUN.contains(runState)) {
                    new EventFollower(connector, run, store, backoff, listener).follow(left);
                }
                return new Result(runState, state, store.count(run.runId()));
            }
            EventFollower.Result attached = new EventFollower(connector, run, store, backoff, listener).follow(left);
            if (!FINAL_RUN.contains(attached.finalState())) {
                continue;
            }
            // the journal ended on a final status while the job still runs: an earlier job's end, before this
            // job's trainer has journaled its start; look again shortly
            Thread.sleep(poll.toMillis());
        }
    }

    private JobState jobState(String job) throws RemoteException {
        try (SshSession ssh = connector.open(run.node())) {
            return new SlurmCluster(ssh, target).state(job);
        }
    }

    /** The run's state on the node after {@code r1wb status} settled it; {@code created} if it never started. */
    private String settledRunState() throws RemoteException {
        try (SshSession ssh = connector.open(run.node())) {
            SshSession.Result status = ssh.exec(RemoteNode.agentCommand(run,
                    List.of("status", "-w", run.workspace(), run.runId())));
            if (status.exitCode() != 0) {
                throw new RemoteException("'r1wb status " + run.runId() + "' failed on " + run.node().address()
                        + " (exit " + status.exitCode() + "): " + status.firstLine(), status.exitCode() == -1, null);
            }
            // "<id>: <state>[ — message]"
            String line = status.firstLine();
            String rest = line.substring(line.indexOf(':') + 1).strip();
            int end = rest.indexOf(' ');
            return end < 0 ? rest : rest.substring(0, end);
        }
    }
}
