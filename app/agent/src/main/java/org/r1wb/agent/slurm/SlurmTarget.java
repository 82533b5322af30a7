package org.r1wb.agent.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A run target "Slurm cluster": the login node (a name in the workspace's node list, reached over SSH like any
 * node) and what each batch job asks for. The login node and the compute nodes share the agent folder (the usual
 * shared home or project file system), so a run folder written from the login node is the one the job trains in.
 *
 * @param node        the login node's name in the node list
 * @param setup       shell run before every Slurm command on the login node ({@code module load slurm},
 *                    {@code export SLURM_CONF=...}); empty for none
 * @param partition   {@code --partition}, or empty for the cluster's default
 * @param account     {@code --account}, or empty
 * @param nodes       {@code --nodes}; the DJL engine trains on one
 * @param gpusPerNode {@code --gpus-per-node}, 0 for none
 * @param cpusPerTask {@code --cpus-per-task}
 * @param timeLimit   {@code --time}: {@code MM}, {@code HH:MM:SS} or {@code D-HH[:MM[:SS]]}
 * @param backend      {@value #DJL} (the agent's DJL trainer, one process on one node) or {@value #PYTORCH} (the
 *                     PyTorch backend under {@code torchrun}: DDP over {@code nodes} × {@code procsPerNode} ranks)
 * @param procsPerNode {@code torchrun --nproc_per_node} for the PyTorch backend (one per GPU, or CPU processes);
 *                     1 for DJL
 */
public record SlurmTarget(String node, String setup, String partition, String account, int nodes, int gpusPerNode,
                          int cpusPerTask, String timeLimit, String backend, int procsPerNode) {

    /** The agent's DJL trainer. */
    public static final String DJL = "djl";
    /** The PyTorch backend ({@code r1wb_torch}) under {@code torchrun}. */
    public static final String PYTORCH = "pytorch";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern TIME = Pattern.compile("\\d+|\\d+:\\d{2}(:\\d{2})?|\\d+-\\d{1,2}(:\\d{2}(:\\d{2})?)?");

    public SlurmTarget {
        setup = setup == null ? "" : setup.strip();
        partition = partition == null ? "" : partition.strip();
        account = account == null ? "" : account.strip();
        timeLimit = timeLimit == null || timeLimit.isBlank() ? "24:00:00" : timeLimit.strip();
        backend = backend == null || backend.isBlank() ? DJL : backend.strip();
        procsPerNode = procsPerNode == 0 ? 1 : procsPerNode;
    }

    /** A DJL target (one process on one node). */
    public SlurmTarget(String node, String setup, String partition, String account, int nodes, int gpusPerNode,
                       int cpusPerTask, String timeLimit) {
        this(node, setup, partition, account, nodes, gpusPerNode, cpusPerTask, timeLimit, DJL, 1);
    }

    /** Whether the job runs the PyTorch backend under torchrun. */
    public boolean trainsWithPytorch() {
        return PYTORCH.equals(backend);
    }

    /** One node, no GPU, 2 CPUs, a day, the default partition: what a first try on a small cluster wants. */
    public static SlurmTarget onLoginNode(String node, String setup) {
        return new SlurmTarget(node, setup, "", "", 1, 0, 2, "24:00:00");
    }

    /** Every problem with this target, each with its field and a fix; empty when it can be submitted. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (node == null || node.isBlank()) {
            problems.add("slurm.node is empty: name the login node from the node list");
        }
        if (!partition.isEmpty() && !NAME.matcher(partition).matches()) {
            problems.add("slurm.partition '" + partition + "' has characters Slurm does not allow: use letters, digits, '.', '_' or '-'");
        }
        if (!account.isEmpty() && !NAME.matcher(account).matches()) {
            problems.add("slurm.account '" + account + "' has characters Slurm does not allow: use letters, digits, '.', '_' or '-'");
        }
        if (!DJL.equals(backend) && !PYTORCH.equals(backend)) {
            problems.add("slurm.backend '" + backend + "' is unknown: use " + DJL + " or " + PYTORCH);
        }
        if (nodes < 1) {
            problems.add("slurm.nodes is " + nodes + ": use at least 1");
        } else if (nodes != 1 && !trainsWithPytorch()) {
            problems.add("slurm.nodes is " + nodes + ": the DJL engine trains on one node; set 1, or backend "
                    + PYTORCH + " to train on several (docs/SCALING.md)");
        }
        if (procsPerNode < 1) {
            problems.add("slurm.procsPerNode is " + procsPerNode + ": use at least 1 (one per GPU)");
        } else if (procsPerNode != 1 && !trainsWithPytorch()) {
            problems.add("slurm.procsPerNode is " + procsPerNode + ": the DJL engine trains in one process; set 1, "
                    + "or backend " + PYTORCH + " for several ranks per node");
        }
        if (gpusPerNode < 0) {
            problems.add("slurm.gpusPerNode is " + gpusPerNode + ": use 0 for CPU jobs or the GPUs each node should have");
        }
        if (cpusPerTask < 1) {
            problems.add("slurm.cpusPerTask is " + cpusPerTask + ": use at least 1");
        }
        if (!TIME.matcher(timeLimit).matches()) {
            problems.add("slurm.timeLimit '" + timeLimit + "' is not a Slurm time: write minutes (90), HH:MM:SS (01:30:00) or D-HH:MM:SS (2-00:00:00)");
        }
        return problems;
    }
}
