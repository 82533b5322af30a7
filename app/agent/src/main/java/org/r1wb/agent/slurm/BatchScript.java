package org.r1wb.agent.slurm;

import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.Shell;

import java.util.List;

/**
 * The {@code sbatch} script of a run: the job's resources from its {@link SlurmTarget}, then the agent's
 * {@code train --resume}, or for the PyTorch backend {@code srun torchrun … -m r1wb_torch.train RUN --resume} (one
 * torchrun per node, {@code procsPerNode} ranks each, a c10d rendezvous on the job's first node). Resuming is what makes every submission the same: the first one starts from step 0, a
 * requeued, preempted or resubmitted one continues from the run's latest checkpoint, and all append to the one
 * journal that {@code r1wb attach} follows.
 */
public final class BatchScript {

    /** Seconds before the time limit at which Slurm sends SIGTERM, so the trainer checkpoints before it is killed. */
    static final int WARN_SECONDS = 120;

    private BatchScript() {
    }

    /** Where the torchrun rendezvous listens on the job's first node when the job spans several. */
    static final int RENDEZVOUS_PORT = 29_500;

    /** The script's text for a DJL target. */
    public static String render(SlurmTarget target, RemoteRun run) {
        return render(target, run, null);
    }

    /**
     * The script's text; {@code pythonPath} is the folder holding {@code r1wb_torch} on the cluster, needed by a
     * PyTorch target ({@link RemoteNode#ensurePythonBackend}).
     */
    public static String render(SlurmTarget target, RemoteRun run, String pythonPath) {
        if (target.trainsWithPytorch() && pythonPath == null) {
            throw new IllegalArgumentException("a PyTorch job needs the folder of r1wb_torch on the cluster");
        }
        StringBuilder script = new StringBuilder("#!/bin/bash\n");
        directive(script, "--job-name=r1wb-" + run.runId());
        directive(script, "--output=" + run.runDir() + "/slurm-%j.log");
        directive(script, "--open-mode=append");
        directive(script, "--nodes=" + target.nodes());
        directive(script, "--ntasks-per-node=1");
        directive(script, "--cpus-per-task=" + target.cpusPerTask());
        if (target.gpusPerNode() > 0) {
            directive(script, "--gpus-per-node=" + target.gpusPerNode());
        }
        directive(script, "--time=" + target.timeLimit());
        if (!target.partition().isEmpty()) {
            directive(script, "--partition=" + target.partition());
        }
        if (!target.account().isEmpty()) {
            directive(script, "--account=" + target.account());
        }
        directive(script, "--requeue");
        if (target.trainsWithPytorch()) {
            // no B: the signal goes to the job steps, i.e. every torchrun, which passes it to its ranks
            directive(script, "--signal=TERM@" + WARN_SECONDS);
            script.append("cd ").append(Shell.quote(run.workspace())).append(" || exit 1\n");
            script.append("export PYTHONPATH=").append(Shell.quote(pythonPath)).append("${PYTHONPATH:+:$PYTHONPATH}\n");
            script.append("export OMP_NUM_THREADS=").append(Math.max(1, target.cpusPerTask() / target.procsPerNode())).append('\n');
            script.append(torchrun(target, run)).append('\n');
            return script.toString();
        }
        // B: the signal goes to the batch shell, which exec made the JVM itself
        directive(script, "--signal=B:TERM@" + WARN_SECONDS);
        script.append("cd ").append(Shell.quote(run.workspace())).append(" || exit 1\n");
        script.append("exec ").append(RemoteNode.agentCommand(run, List.of("train", "--run-dir", run.runDir(), "--resume"))).append('\n');
        return script.toString();
    }

    /**
     * One torchrun per node under srun. A one-node job rendezvouses locally ({@code --standalone}); a larger one on
     * its first node. {@code --redirects 1 --tee 1}: Debian's torch 1.13 launcher cannot parse its own default on
     * Python 3.11 (docs/SCALING.md).
     */
    private static String torchrun(SlurmTarget target, RemoteRun run) {
        StringBuilder line = new StringBuilder();
        String rendezvous;
        if (target.nodes() == 1) {
            rendezvous = "--standalone";
        } else {
            line.append("head=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n");
            rendezvous = "--nnodes=\"$SLURM_NNODES\" --rdzv_backend=c10d --rdzv_endpoint=\"$head:" + RENDEZVOUS_PORT
                    + "\" --rdzv_id=\"$SLURM_JOB_ID\"";
        }
        line.append("exec srun --kill-on-bad-exit=1 torchrun ").append(rendezvous).append(" --nproc_per_node=")
                .append(target.procsPerNode()).append(" --redirects 1 --tee 1 -m r1wb_torch.train ")
                .append(Shell.quote(run.runDir())).append(" --resume");
        if (target.gpusPerNode() > 0) {
            line.append(" --device cuda --bf16");
        }
        return line.toString();
    }

    static void directive(StringBuilder script, String option) {
        script.append("#SBATCH ").append(option).append('\n');
    }
}
