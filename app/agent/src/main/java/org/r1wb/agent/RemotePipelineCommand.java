package org.r1wb.agent;

import org.r1wb.agent.remote.Distribution;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.Shell;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.slurm.PipelineBatch;
import org.r1wb.agent.slurm.SlurmCluster;
import org.r1wb.agent.slurm.SlurmTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
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
        if (!target.problems().isEmpty()) {
            return badInput("the Slurm target cannot be used:\n  " + String.join("\n  ", target.problems()));
        }
        NodeList nodes = NodeList.load(workspace.path());
        NodeSpec node = RemoteAccess.node(nodes, nodeName, workspace.path());
        Distribution dist = distribution != null ? Distribution.ofFolder(distribution) : Distribution.current();
        try (SshSession ssh = access.connector(nodes, err()).open(node)) {
            RemoteNode remote = new RemoteNode(ssh);
            SshSession.Result found = ssh.exec("test -f " + Shell.quote(clusterWorkspace + "/" + pipeline));
            if (found.exitCode() != 0) {
                return badInput("no " + pipeline + " in " + clusterWorkspace + " on " + node.name()
                        + ": the workspace must be on the cluster's shared file system");
            }
            RemoteNode.Upload agent = remote.ensureDistribution(dist);
            PipelineBatch batch = new PipelineBatch(target, node, agent.path(), clusterWorkspace, pipeline, shards);
            SlurmCluster.PipelineJobs jobs = new SlurmCluster(ssh, target).submitPipeline(batch);
            out().println("submitted " + batch.name() + ": array job " + jobs.shards() + " (" + shards + " shard tasks), merge job "
                    + jobs.merge() + " after it; logs in " + batch.folder());
            return ExitCodes.OK;
        } catch (RemoteException e) {
            err().println("error: " + e.getMessage());
            return e.isTransient() ? ExitCodes.FAILED : ExitCodes.BAD_INPUT;
        }
    }
}
