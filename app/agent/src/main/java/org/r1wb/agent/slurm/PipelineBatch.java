package org.r1wb.agent.slurm;

import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.Shell;

import java.util.List;

/**
 * The two job scripts of a sharded pipeline run on Slurm: an array job whose task {@code i} runs
 * {@code r1wb pipeline run FILE --shard i/N} (every per-document stage of its slice of the input, in parallel over
 * the cluster), and a merge job, submitted to start only after every task succeeded, that runs
 * {@code --merge N}: the global dedup decisions and the rest of the graph, writing the same {@code data/<digest>/}
 * as a single-process run. The workspace is on the cluster's shared file system.
 *
 * @param target     the cluster's resources per task
 * @param node       the login node (its java launcher)
 * @param dist       the agent distribution folder there
 * @param workspace  the workspace folder on the cluster, absolute
 * @param pipeline   the pipeline file, relative to the workspace or absolute
 * @param shards     the number of array tasks
 */
public record PipelineBatch(SlurmTarget target, NodeSpec node, String dist, String workspace, String pipeline, int shards) {

    /** Where the scripts and the job logs go, under the workspace. */
    public static final String FOLDER = ".slurm";

    public PipelineBatch {
        if (shards < 1) {
            throw new IllegalArgumentException("shards is " + shards + ": a sharded pipeline needs at least 1 task");
        }
    }

    /** The pipeline's name for job names and files: its file name without {@code .pipeline.json}. */
    public String name() {
        String file = pipeline.substring(pipeline.lastIndexOf('/') + 1);
        return file.endsWith(".pipeline.json") ? file.substring(0, file.length() - ".pipeline.json".length()) : file;
    }

    /** The array job's script. */
    public String shardScript() {
        StringBuilder script = header("r1wb-pipe-" + name(), "shards-%A_%a.log", "--array=0-" + (shards - 1));
        script.append("exec ").append(RemoteNode.agentCommand(node, dist, List.of("pipeline", "run", "-w", workspace,
                pipeline, "--progress", "LINES", "--shard"))).append(" \"${SLURM_ARRAY_TASK_ID}/").append(shards).append("\"\n");
        return script.toString();
    }

    /** The merge job's script (its dependency on the array job is given at submission). */
    public String mergeScript() {
        StringBuilder script = header("r1wb-merge-" + name(), "merge-%j.log");
        script.append("exec ").append(RemoteNode.agentCommand(node, dist, List.of("pipeline", "run", "-w", workspace,
                pipeline, "--progress", "LINES", "--merge", Integer.toString(shards)))).append('\n');
        return script.toString();
    }

    /** The folder of the scripts and logs on the cluster. */
    public String folder() {
        return workspace + "/" + FOLDER + "/" + name();
    }

    /** The {@code #SBATCH} lines and the {@code cd}: sbatch reads directives only before the first command. */
    private StringBuilder header(String jobName, String log, String... more) {
        StringBuilder script = new StringBuilder("#!/bin/bash\n");
        BatchScript.directive(script, "--job-name=" + jobName);
        BatchScript.directive(script, "--output=" + folder() + "/" + log);
        BatchScript.directive(script, "--nodes=1");
        BatchScript.directive(script, "--ntasks=1");
        BatchScript.directive(script, "--cpus-per-task=" + target.cpusPerTask());
        BatchScript.directive(script, "--time=" + target.timeLimit());
        if (!target.partition().isEmpty()) {
            BatchScript.directive(script, "--partition=" + target.partition());
        }
        if (!target.account().isEmpty()) {
            BatchScript.directive(script, "--account=" + target.account());
        }
        for (String option : more) {
            BatchScript.directive(script, option);
        }
        script.append("cd ").append(Shell.quote(workspace)).append(" || exit 1\n");
        return script;
    }
}
