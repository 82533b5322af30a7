package org.r1wb.agent.slurm;

import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.Shell;

import java.util.List;

/**
 * The {@code sbatch} script of a run: the job's resources from its {@link SlurmTarget}, then the agent's
 * {@code train --resume}. Resuming is what makes every submission the same: the first one starts from step 0, a
 * requeued, preempted or resubmitted one continues from the run's latest checkpoint, and all append to the one
 * journal that {@code r1wb attach} follows.
 */
public final class BatchScript {

    /** Seconds before the time limit at which Slurm sends SIGTERM, so the trainer checkpoints before it is killed. */
    static final int WARN_SECONDS = 120;

    private BatchScript() {
    }

    /** The script's text. */
    public static String render(SlurmTarget target, RemoteRun run) {
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
        // B: the signal goes to the batch shell, which exec made the JVM itself
        directive(script, "--signal=B:TERM@" + WARN_SECONDS);
        script.append("cd ").append(Shell.quote(run.workspace())).append(" || exit 1\n");
        script.append("exec ").append(RemoteNode.agentCommand(run, List.of("train", "--run-dir", run.runDir(), "--resume"))).append('\n');
        return script.toString();
    }

    static void directive(StringBuilder script, String option) {
        script.append("#SBATCH ").append(option).append('\n');
    }
}
