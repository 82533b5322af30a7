package org.r1wb.agent.slurm;

import org.r1wb.agent.remote.Backoff;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.SshConnector;
import org.r1wb.agent.remote.SshSession;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Follows a sharded pipeline run on Slurm ({@link SlurmCluster#submitPipeline}) until its merge job is over: asks the
 * login node every {@code poll} how the array's shard tasks and the merge stand, reports each change, survives link
 * drops with a backoff, and settles the two cases Slurm itself leaves open: a failed shard task (the merge would stay
 * pending for ever on {@code DependencyNeverSatisfied}: it is cancelled and the run fails, naming the logs) and a
 * stop asked for here (both jobs are cancelled).
 */
public final class PipelineJobFollower {

    /** Where the run stands: shard tasks done and failed out of all, and the merge job's state. */
    public record Progress(int shardsDone, int shardsFailed, int shards, JobState merge) {
    }

    /** How the run ended. */
    public enum Outcome { FINISHED, FAILED, CANCELLED }

    /** The end, with a line for the user (the output folder, or what failed and where its log is). */
    public record Result(Outcome outcome, String message) {
    }

    /** Observes the follower. */
    public interface Listener {
        /** The run moved: a task ended, the merge started or ended. */
        default void progress(Progress progress) {
        }

        /** The login node cannot be reached for now; the next try is in {@code wait}. */
        default void lost(RemoteException e, Duration wait) {
        }
    }

    private static final String WROTE = "wrote ";
    private static final String CACHED = "served from the cache: ";

    private final SshConnector connector;
    private final NodeSpec login;
    private final PipelineBatch batch;
    private final SlurmCluster.PipelineJobs jobs;
    private final Backoff backoff;
    private final Duration poll;
    private final Listener listener;

    public PipelineJobFollower(SshConnector connector, NodeSpec login, PipelineBatch batch, SlurmCluster.PipelineJobs jobs,
                               Backoff backoff, Duration poll, Listener listener) {
        this.connector = connector;
        this.login = login;
        this.batch = batch;
        this.jobs = jobs;
        this.backoff = backoff;
        this.poll = poll;
        this.listener = listener;
    }

    /** Follows until the merge job is over, {@code stop} says to cancel, or {@code timeout} passes. */
    public Result follow(BooleanSupplier stop, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Progress last = null;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IOException("gave up following " + batch.name() + " (jobs " + jobs.shards() + ", " + jobs.merge()
                        + ") after " + timeout + "; they go on on the cluster");
            }
            try (SshSession ssh = connector.open(login)) {
                SlurmCluster cluster = new SlurmCluster(ssh, batch.target());
                if (stop.getAsBoolean()) {
                    cluster.cancel(jobs.merge());
                    cluster.cancel(jobs.shards());
                    return new Result(Outcome.CANCELLED, "cancelled: scancel " + jobs.merge() + " " + jobs.shards());
                }
                ArrayTasks tasks = cluster.arrayTasks(jobs.shards());
                JobState merge = cluster.state(jobs.merge());
                Progress progress = new Progress(tasks.completed(), tasks.failed(), batch.shards(), merge);
                if (!progress.equals(last)) {
                    listener.progress(progress);
                    last = progress;
                }
                backoff.reset();
                if (merge == JobState.COMPLETED) {
                    return new Result(Outcome.FINISHED, output(cluster));
                }
                if (merge.isFinal()) {
                    return new Result(merge == JobState.CANCELLED ? Outcome.CANCELLED : Outcome.FAILED,
                            "the merge job " + jobs.merge() + " ended " + merge + "; its log: " + mergeLog());
                }
                if (tasks.failed() > 0 && merge.isWaiting()) {
                    cluster.cancel(jobs.merge());
                    return new Result(Outcome.FAILED, tasks.failed() + " of " + batch.shards() + " shard tasks failed, so the "
                            + "merge job " + jobs.merge() + " was cancelled; the tasks' logs: " + batch.folder()
                            + "/shards-" + jobs.shards() + "_*.log (finished shards are not redone when it is submitted again)");
                }
            } catch (RemoteException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                Duration wait = backoff.next();
                listener.lost(e, wait);
                sleep(wait, stop);
                continue;
            }
            sleep(poll, stop);
        }
    }

    /** The output folder the merge job named in its log, or where to look for it. */
    private String output(SlurmCluster cluster) throws RemoteException {
        List<String> lines = cluster.tail(mergeLog(), 20).lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(WROTE) || lines.get(i).startsWith(CACHED)) {
                return lines.get(i).strip();
            }
        }
        return "the merge job " + jobs.merge() + " completed; its log: " + mergeLog();
    }

    private String mergeLog() {
        return batch.folder() + "/merge-" + jobs.merge() + ".log";
    }

    /** Sleeps {@code duration}, waking early when a stop is asked for. */
    private static void sleep(Duration duration, BooleanSupplier stop) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (!stop.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}
