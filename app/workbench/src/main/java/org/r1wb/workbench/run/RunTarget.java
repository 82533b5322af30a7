package org.r1wb.workbench.run;

import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.slurm.SlurmTarget;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run trains: a child JVM on this machine, this machine's GPU (through the PyTorch backend), a node of the
 * workspace's {@code nodes.json} over SSH, or a Slurm cluster through such a node (its login node).
 *
 * @param kind  which of the four
 * @param node  the node's name; {@code null} for {@link Kind#LOCAL}
 * @param slurm the batch job's resources for {@link Kind#SLURM}, else {@code null}
 */
public record RunTarget(Kind kind, String node, SlurmTarget slurm) {

    /** The kinds of target. */
    public enum Kind { LOCAL, LOCAL_GPU, NODE, SLURM }

    /** A child JVM on this machine, training on the CPU. */
    public static final RunTarget LOCAL = new RunTarget(Kind.LOCAL, null, null);

    /**
     * This machine's GPU: the DJL trainer of this build runs on the CPU only (Maven Central has no CUDA libtorch), so
     * a GPU run trains through the PyTorch backend with the machine's own CUDA PyTorch, when the engine selection
     * finds one ({@code r1wb version} says what it finds).
     */
    public static final RunTarget LOCAL_GPU = new RunTarget(Kind.LOCAL_GPU, null, null);

    /** The run started detached on {@code node}. */
    public static RunTarget node(String node) {
        return new RunTarget(Kind.NODE, node, null);
    }

    /** The run submitted with sbatch through the login node {@code slurm.node()}. */
    public static RunTarget slurm(SlurmTarget slurm) {
        return new RunTarget(Kind.SLURM, slurm.node(), slurm);
    }

    /** Every target the workspace offers: this machine (CPU, GPU), then each node directly and as a Slurm login node. */
    public static List<RunTarget> available(Path workspace) throws IOException {
        List<RunTarget> targets = new ArrayList<>(List.of(LOCAL, LOCAL_GPU));
        for (NodeSpec node : NodeList.load(workspace).nodes()) {
            targets.add(node(node.name()));
            targets.add(slurm(SlurmTarget.onLoginNode(node.name(), "")));
        }
        return targets;
    }

    /** How the launcher lists it. */
    public String label() {
        return switch (kind) {
            case LOCAL -> "This machine (CPU, child process)";
            case LOCAL_GPU -> "This machine (GPU, PyTorch backend)";
            case NODE -> "Node " + node + " (SSH)";
            case SLURM -> "Slurm cluster via " + node;
        };
    }
}
