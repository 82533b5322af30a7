package org.r1wb.agent;

import org.r1wb.agent.slurm.SlurmTarget;
import picocli.CommandLine.Option;

/** The options of a Slurm job that every {@code r1wb remote} command submitting one shares. */
public final class SlurmOptions {

    @Option(names = "--setup", paramLabel = "SHELL", defaultValue = "", description = "Shell run before each Slurm command on the login node (module load slurm, export SLURM_CONF=…).")
    private String setup;

    @Option(names = "--partition", defaultValue = "", description = "Slurm partition (default: the cluster's).")
    private String partition;

    @Option(names = "--account", defaultValue = "", description = "Slurm account.")
    private String account;

    @Option(names = "--gpus", defaultValue = "0", description = "GPUs per node (default: ${DEFAULT-VALUE}).")
    private int gpus;

    @Option(names = "--cpus", defaultValue = "2", description = "CPUs per task (default: ${DEFAULT-VALUE}).")
    private int cpus;

    @Option(names = "--time", defaultValue = "24:00:00", description = "Slurm time limit (default: ${DEFAULT-VALUE}).")
    private String time;

    @Option(names = "--backend", defaultValue = SlurmTarget.DJL, description = "Trainer: djl (the agent, one process) or pytorch (r1wb_torch under torchrun, DDP) (default: ${DEFAULT-VALUE}).")
    private String backend;

    @Option(names = "--nodes", defaultValue = "1", description = "Nodes (pytorch backend; default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--procs-per-node", defaultValue = "1", description = "torchrun ranks per node, one per GPU (pytorch backend; default: ${DEFAULT-VALUE}).")
    private int procsPerNode;

    /** The target these options describe on the login node {@code node}. */
    SlurmTarget target(String node) {
        return new SlurmTarget(node, setup, partition, account, nodes, gpus, cpus, time, backend, procsPerNode);
    }
}
