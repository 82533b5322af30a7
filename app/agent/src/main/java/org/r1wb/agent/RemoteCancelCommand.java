package org.r1wb.agent;

import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.RemoteBinding;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.slurm.SlurmCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code r1wb remote cancel RUN}: asks a remote run to stop. On a node, {@code r1wb cancel} there (the trainer stops
 * after its step, with a checkpoint); under Slurm, {@code scancel} of its latest job (SIGTERM, the same effect).
 */
@Command(name = "cancel", description = "Stop a remote run (its trainer checkpoints first).")
public final class RemoteCancelCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Mixin
    private RemoteAccess access;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    private String runId;

    @Override
    public Integer call() throws IOException {
        Optional<RemoteBinding> binding = RemoteBinding.load(RunFolder.of(workspace.path(), runId).dir());
        if (binding.isEmpty()) {
            return badInput("run " + runId + " was not started remotely: cancel a local run with 'r1wb cancel " + runId + "'");
        }
        NodeList nodes = NodeList.load(workspace.path());
        RemoteRun run = binding.get().run(nodes);
        try (SshSession ssh = access.connector(nodes, err()).open(run.node())) {
            if (binding.get().slurm() == null) {
                new RemoteNode(ssh).cancel(run);
                out().println("cancel requested for " + runId + " on " + run.node().name());
            } else {
                SlurmCluster cluster = new SlurmCluster(ssh, binding.get().slurm());
                List<String> jobs = cluster.jobs(run);
                if (jobs.isEmpty()) {
                    return badInput("run " + runId + " has no Slurm job");
                }
                String job = jobs.get(jobs.size() - 1);
                cluster.cancel(job);
                out().println("scancel " + job + " (" + runId + ")");
            }
            return ExitCodes.OK;
        } catch (RemoteException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
