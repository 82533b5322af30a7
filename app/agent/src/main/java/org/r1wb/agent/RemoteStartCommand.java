package org.r1wb.agent;

import org.r1wb.agent.remote.Distribution;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteBinding;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.slurm.SlurmCluster;
import org.r1wb.agent.slurm.SlurmTarget;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code r1wb remote start --node NAME RUN}: runs a local run folder on a node. Checks the node's Java, uploads
 * the agent and the run's shards once per content digest, then starts the run detached, or, with {@code --slurm},
 * submits it to the cluster whose login node that is. The local folder becomes the run's mirror
 * ({@code remote.json}); {@code r1wb remote follow} fills it. Starting a Slurm run again resubmits it, and it
 * continues from its latest checkpoint.
 */
@Command(name = "start", description = "Start a run on a remote node, or submit it to a Slurm cluster (--slurm).")
public final class RemoteStartCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Mixin
    private RemoteAccess access;

    @Parameters(paramLabel = "RUN", description = "Run id: runs/RUN/run.json in the workspace.")
    private String runId;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "The node (a Slurm cluster's login node with --slurm) from nodes.json.")
    private String nodeName;

    @Option(names = "--distribution", paramLabel = "DIR", description = "Folder of the agent's jars to upload (default: the jars this r1wb runs from).")
    private Path distribution;

    @Option(names = "--slurm", description = "Submit with sbatch through the node instead of starting the run there.")
    private boolean slurm;

    @Mixin
    private SlurmOptions slurmOptions;

    @Option(names = "--follow", description = "Then follow the run until it ends, as 'r1wb remote follow'.")
    private boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path ws = workspace.path();
        RunFolder local = RunFolder.of(ws, runId);
        if (!Files.isRegularFile(local.spec())) {
            return badInput("no run '" + runId + "' in " + ws.resolve("runs") + " (runs/" + runId + "/run.json)");
        }
        RunSpec spec = RunSpecs.load(local.spec());
        Optional<RemoteBinding> bound = RemoteBinding.load(local.dir());
        if (bound.isPresent() && (bound.get().slurm() == null || !bound.get().node().equals(nodeName))) {
            return badInput("run " + runId + " was started on node '" + bound.get().node() + "' already: follow it with "
                    + "'r1wb remote follow " + runId + "'" + (bound.get().slurm() != null ? " or resubmit it with --node " + bound.get().node() : ""));
        }
        if (bound.isEmpty() && !EventJournal.read(local.events()).isEmpty()) {
            return badInput("run " + runId + " already ran here (" + local.state() + "); a remote run starts from a fresh run folder");
        }
        SlurmTarget target = slurm ? slurmOptions.target(nodeName)
                : bound.map(RemoteBinding::slurm).orElse(null);
        if (target != null && !target.problems().isEmpty()) {
            return badInput("the Slurm target cannot be used:\n  " + String.join("\n  ", target.problems()));
        }
        Path shards = ws.resolve(spec.data().path()).normalize();
        if (!Files.isDirectory(shards)) {
            return badInput("the run's data " + shards + " does not exist: run its pipeline first");
        }
        NodeList nodes = NodeList.load(ws);
        NodeSpec node = RemoteAccess.node(nodes, nodeName, ws);
        Distribution dist = distribution != null ? Distribution.ofFolder(distribution) : Distribution.current();

        RemoteRun run;
        try (SshSession ssh = access.connector(nodes, err()).open(node)) {
            RemoteNode remote = new RemoteNode(ssh);
            out().println(node.name() + ": " + remote.checkJava());
            RemoteNode.Upload agent = remote.ensureDistribution(dist);
            out().println(agent.transferred() ? "uploaded the agent (" + dist.files().size() + " jars)" : "the agent is there already");
            RemoteNode.Upload data = remote.ensureData(shards);
            out().println(data.transferred() ? "uploaded the shards of " + runId : "the shards are there already");
            if (target == null) {
                run = remote.startRun(spec, agent, data);
                out().println("started " + runId + " on " + node.name() + " in " + run.runDir());
            } else {
                run = remote.prepareRun(spec, agent, data);
                String python = null;
                if (target.trainsWithPytorch()) {
                    RemoteNode.Upload backend = remote.ensurePythonBackend();
                    out().println(backend.transferred() ? "uploaded the PyTorch backend" : "the PyTorch backend is there already");
                    python = backend.path();
                }
                String job = new SlurmCluster(ssh, target).submit(run, python);
                out().println("submitted " + runId + " as Slurm job " + job + " through " + node.name());
            }
        } catch (RemoteException e) {
            err().println("error: " + e.getMessage());
            return e.isTransient() ? ExitCodes.FAILED : ExitCodes.BAD_INPUT;
        }
        RemoteBinding.of(run, target).save(local.dir());
        if (!follow) {
            out().println("follow it with: r1wb remote follow " + runId);
            return ExitCodes.OK;
        }
        out().flush();
        return new RemoteFollowing(ws, local, access, out(), err()).follow(Duration.ofDays(7));
    }
}
