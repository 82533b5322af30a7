package org.r1wb.agent;

import org.r1wb.agent.remote.Distribution;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.Shell;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.remote.Backoff;
import org.r1wb.agent.remote.SshConnector;
import org.r1wb.agent.slurm.PipelineBatch;
import org.r1wb.agent.slurm.PipelineJobFollower;
import org.r1wb.agent.slurm.PipelineRunBinding;
import org.r1wb.agent.slurm.SlurmCluster;
import org.r1wb.agent.slurm.SlurmTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.r1wb.model.run.EventJournal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code r1wb remote pipeline FILE --node LOGIN --shards N --cluster-workspace DIR}: runs a pipeline on a Slurm
 * cluster as an array of N shard tasks and a merge job that waits for them ({@link PipelineBatch}). The workspace
 * (its pipeline file and raw data) lives on the cluster's shared file system at DIR; the output lands in
 * {@code DIR/data/<digest>/}, the same folder a single-process run writes.
 */
@Command(name = "pipeline", description = "Run a pipeline on a Slurm cluster as an array job of shards plus a merge.")
public final class RemotePipelineCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Mixin
    private RemoteAccess access;

    @Mixin
    private SlurmOptions slurmOptions;

    @Parameters(paramLabel = "FILE", description = "The pipeline file, relative to the cluster workspace (pipelines/x.pipeline.json).")
    private String pipeline;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "The cluster's login node, from the local workspace's nodes.json.")
    private String nodeName;

    @Option(names = "--shards", required = true, paramLabel = "N", description = "Array tasks: each runs the per-document stages over 1/N of the input.")
    private int shards;

    @Option(names = "--cluster-workspace", required = true, paramLabel = "DIR", description = "The workspace folder on the cluster's shared file system, absolute.")
    private String clusterWorkspace;

    @Option(names = "--run", paramLabel = "ID", description = "Also record it as run ID in the local workspace's runs/ and "
            + "follow it there until the merge job ends (the workbench's Runs window lists it; 'r1wb cancel ID' cancels both jobs).")
    private String runId;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "5", description = "With --run: how often to ask the cluster (default ${DEFAULT-VALUE}).")
    private int pollSeconds;

    @Option(names = "--distribution", paramLabel = "DIR", description = "Folder of the agent's jars to upload (default: the jars this r1wb runs from).")
    private Path distribution;

    @Override
    public Integer call() throws IOException {
        if (shards < 1) {
            return badInput("--shards is " + shards + ": use 1 or more");
        }
        if (!clusterWorkspace.startsWith("/")) {
            return badInput("--cluster-workspace '" + clusterWorkspace + "' must be absolute: the jobs run from it on every node");
        }
        SlurmTarget target = slurmOptions.target(nodeName);
        if (target.trainsWithPytorch() || target.nodes() != 1 || target.procsPerNode() != 1) {
            return badInput("a pipeline's tasks are agent processes: --backend, --nodes and --procs-per-node are for training runs");
        }
        if (!target.problems().isEmpty()) {
            return badInput("the Slurm target cannot be used:\n  " + String.join("\n  ", target.problems()));
        }
        NodeList nodes = NodeList.load(workspace.path());
        NodeSpec node = RemoteAccess.node(nodes, nodeName, workspace.path());
        RunFolder run = runId == null ? null : RunFolder.of(workspace.path(), runId);
        if (run != null && run.exists()) {
            return badInput("run " + runId + " exists already in " + workspace.path().resolve("runs") + ": choose another id");
        }
        Distribution dist = distribution != null ? Distribution.ofFolder(distribution) : Distribution.current();
        SshConnector connector = access.connector(nodes, err());
        PipelineBatch batch;
        SlurmCluster.PipelineJobs jobs;
        try (SshSession ssh = connector.open(node)) {
            RemoteNode remote = new RemoteNode(ssh);
            SshSession.Result found = ssh.exec("test -f " + Shell.quote(clusterWorkspace + "/" + pipeline));
            if (found.exitCode() != 0) {
                return badInput("no " + pipeline + " in " + clusterWorkspace + " on " + node.name()
                        + ": the workspace must be on the cluster's shared file system");
            }
            RemoteNode.Upload agent = remote.ensureDistribution(dist);
            batch = new PipelineBatch(target, node, agent.path(), clusterWorkspace, pipeline, shards);
            jobs = new SlurmCluster(ssh, target).submitPipeline(batch);
            out().println("submitted " + batch.name() + ": array job " + jobs.shards() + " (" + shards + " shard tasks), merge job "
                    + jobs.merge() + " after it; logs in " + batch.folder());
        } catch (RemoteException e) {
            err().println("error: " + e.getMessage());
            return e.isTransient() ? ExitCodes.FAILED : ExitCodes.BAD_INPUT;
        }
        return run == null ? ExitCodes.OK : follow(run, connector, node, batch, jobs);
    }

    /**
     * Records the submitted jobs in the run folder and journals their progress there until the merge ends: a
     * {@code status} event per state, a {@code pipeline_shards} event per change, the output folder at the end.
     * A {@code cancel} file in the folder or SIGTERM cancels both jobs.
     */
    private int follow(RunFolder run, SshConnector connector, NodeSpec node, PipelineBatch batch,
                       SlurmCluster.PipelineJobs jobs) throws IOException {
        PipelineRunBinding.of(batch, jobs).save(run.dir());
        Optional<RunLock> lock = RunLock.tryAcquire(run);
        if (lock.isEmpty()) {
            err().println("error: another agent holds run " + run.id() + "; the jobs were submitted: " + jobs);
            return ExitCodes.FAILED;
        }
        GracefulStop stop = new GracefulStop("r1wb-pipeline-follow-shutdown");
        try (RunLock ignored = lock.get(); EventJournal journal = EventJournal.openForAppend(run.events(), run.id())) {
            Files.writeString(run.dir().resolve(RunFolder.PID), ProcessHandle.current().pid() + "\n");
            journal.emit("status", Map.of("state", "running", "message", "submitted " + batch.name() + " to Slurm via "
                    + node.name() + ": array job " + jobs.shards() + ", merge job " + jobs.merge()));
            PipelineJobFollower.Listener listener = new PipelineJobFollower.Listener() {
                @Override
                public void progress(PipelineJobFollower.Progress p) {
                    journal.emit("pipeline_shards", Map.of("done", p.shardsDone(), "failed", p.shardsFailed(),
                            "shards", p.shards(), "merge", p.merge().name().toLowerCase(Locale.ROOT)));
                    out().println("shards " + p.shardsDone() + "/" + p.shards() + " done" + (p.shardsFailed() > 0
                            ? ", " + p.shardsFailed() + " failed" : "") + "; merge " + p.merge().name().toLowerCase(Locale.ROOT));
                }

                @Override
                public void lost(RemoteException e, Duration wait) {
                    err().println("lost " + node.name() + " (" + e.getMessage() + "); trying again in " + wait.toSeconds() + " s");
                }
            };
            Path cancel = run.dir().resolve(TrainCommand.CANCEL_FILE);
            PipelineJobFollower.Result result;
            try {
                result = new PipelineJobFollower(connector, node, batch, jobs, Backoff.standard(),
                        Duration.ofSeconds(Math.max(1, pollSeconds)), listener)
                        .follow(() -> stop.requested() || Files.exists(cancel), Duration.ofDays(7));
            } catch (IOException | InterruptedException e) {
                journal.emit("status", Map.of("state", "failed", "message", "stopped following: " + e.getMessage()
                        + "; the jobs may go on: squeue on " + node.name()));
                throw e instanceof IOException io ? io : new IOException(e);
            }
            String state = result.outcome().name().toLowerCase(Locale.ROOT);
            journal.emit("status", Map.of("state", state, "message", result.message()));
            out().println(result.message());
            return switch (result.outcome()) {
                case FINISHED -> ExitCodes.OK;
                case CANCELLED -> ExitCodes.CANCELLED;
                case FAILED -> ExitCodes.FAILED;
            };
        } finally {
            stop.close();
        }
    }
}
