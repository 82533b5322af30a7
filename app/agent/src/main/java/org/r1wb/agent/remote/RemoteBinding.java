package org.r1wb.agent.remote;

import org.r1wb.agent.slurm.SlurmTarget;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What ties a local run folder to its run on a node: {@code runs/<id>/remote.json}. It names the node (resolved
 * through the workspace's node list each time, so a node's new port or key applies), the agent folder and the
 * distribution there, and the Slurm target when a scheduler drives the run. The local folder is then a mirror:
 * its journal is the node's, copied event by event, and no local agent drives it. Holds no secret.
 *
 * @param node  the node's name in {@code nodes.json}
 * @param home  the agent folder on the node, absolute
 * @param dist  the distribution folder on the node, absolute
 * @param runId the run's id, the same on both sides
 * @param slurm the Slurm target, or {@code null} for a run started directly on the node
 */
public record RemoteBinding(String node, String home, String dist, String runId, SlurmTarget slurm) {

    /** The file in a local run folder. */
    public static final String FILE = "remote.json";

    /** The binding of {@code run}, started on a node with {@code slurm} (or {@code null}). */
    public static RemoteBinding of(RemoteRun run, SlurmTarget slurm) {
        return new RemoteBinding(run.node().name(), run.home(), run.dist(), run.runId(), slurm);
    }

    /** The run on the node, with the node's current spec. */
    public RemoteRun run(NodeList nodes) throws IOException {
        NodeSpec spec = nodes.find(node).orElseThrow(() -> new IOException("run " + runId + " lives on node '" + node
                + "', which is no longer in " + NodeList.FILE + "; add it again to follow the run"));
        return new RemoteRun(spec, home, dist, runId);
    }

    /** Writes the binding into {@code runDir} (temp file, then rename). */
    public void save(Path runDir) throws IOException {
        JsonFile.write(runDir.resolve(FILE), this);
    }

    /** The binding in {@code runDir}, if the run lives on a node. */
    public static Optional<RemoteBinding> load(Path runDir) throws IOException {
        return JsonFile.read(runDir.resolve(FILE), RemoteBinding.class, "remote binding");
    }
}
