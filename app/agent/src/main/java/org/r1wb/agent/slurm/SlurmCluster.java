package org.r1wb.agent.slurm;

import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.RemoteRun;
import org.r1wb.agent.remote.Shell;
import org.r1wb.agent.remote.SshSession;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slurm cluster driven from its login node over one {@link SshSession}: submits a run's {@link BatchScript}
 * with {@code sbatch}, asks for a job's state ({@code squeue} while it is queued or running, then {@code sacct},
 * then {@code scontrol}: a cluster without accounting still answers for a few minutes after the end), and
 * cancels with {@code scancel}. Each run folder keeps the ids of its jobs in {@code slurm-jobs}, one a line, so the
 * workbench finds them again after a restart.
 */
public final class SlurmCluster {

    /** The run folder's file of job ids, oldest first. */
    public static final String JOBS_FILE = "slurm-jobs";
    /** The run folder's batch script. */
    public static final String SCRIPT_FILE = "slurm.sh";

    private static final Pattern JOB_ID = Pattern.compile("^(\\d+)(;\\S+)?$");
    private static final Pattern SCONTROL_STATE = Pattern.compile("JobState=([A-Z_]+)");

    private final SshSession ssh;
    private final SlurmTarget target;

    public SlurmCluster(SshSession ssh, SlurmTarget target) {
        List<String> problems = target.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the Slurm target cannot be used:\n  " + String.join("\n  ", problems));
        }
        this.ssh = ssh;
        this.target = target;
    }

    /**
     * Writes the run's batch script into its folder and submits it; returns the job id. The run folder must exist
     * ({@link RemoteNode#prepareRun}). Submitting a run again (after a cancel, a failure, a time limit) continues it
     * from its latest checkpoint.
     */
    public String submit(RemoteRun run) throws RemoteException {
        return submit(run, null);
    }

    /** {@link #submit(RemoteRun)} with the folder of {@code r1wb_torch} on the cluster, for a PyTorch target. */
    public String submit(RemoteRun run, String pythonPath) throws RemoteException {
        String script = run.runDir() + "/" + SCRIPT_FILE;
        new RemoteNode(ssh).writeFile(script, BatchScript.render(target, run, pythonPath).getBytes(StandardCharsets.UTF_8));
        String job = sbatch("", script, "run " + run.runId());
        SshSession.Result noted = ssh.exec("echo " + job + " >> " + Shell.quote(run.runDir() + "/" + JOBS_FILE));
        if (noted.exitCode() != 0) {
            throw new RemoteException("submitted job " + job + " but could not note it in " + run.runDir() + ": "
                    + noted.firstLine(), noted.exitCode() == -1, null);
        }
        return job;
    }

    /** The two jobs of a sharded pipeline run: the array of shard tasks, and the merge that waits for all of them. */
    public record PipelineJobs(String shards, String merge) {
    }

    /**
     * Submits a sharded pipeline run: the array job, then the merge job with {@code --dependency=afterok} on it, so
     * the merge starts only when every task succeeded (a failed task leaves the merge pending with reason
     * DependencyNeverSatisfied; cancel it and submit again: finished shards are not redone).
     */
    public PipelineJobs submitPipeline(PipelineBatch batch) throws RemoteException {
        RemoteNode node = new RemoteNode(ssh);
        String shards = batch.folder() + "/shards.sh";
        String merge = batch.folder() + "/merge.sh";
        node.writeFile(shards, batch.shardScript().getBytes(StandardCharsets.UTF_8));
        node.writeFile(merge, batch.mergeScript().getBytes(StandardCharsets.UTF_8));
        String array = sbatch("", shards, "the shard tasks of " + batch.name());
        return new PipelineJobs(array, sbatch("--dependency=afterok:" + array + " ", merge, "the merge of " + batch.name()));
    }

    private String sbatch(String options, String script, String what) throws RemoteException {
        SshSession.Result submitted = slurm("sbatch --parsable " + options + Shell.quote(script));
        String answer = submitted.stdout().strip();
        Matcher id = JOB_ID.matcher(answer);
        if (submitted.exitCode() != 0 || !id.matches()) {
            throw RemoteException.refused("sbatch refused " + what + " on " + ssh.node().address() + ": "
                    + firstLine(submitted.stderr().isBlank() ? answer : submitted.stderr())
                    + " (check the partition, account, time limit and GPUs of the Slurm target)");
        }
        return id.group(1);
    }

    /** The ids of every job submitted for {@code run}, oldest first. */
    public List<String> jobs(RemoteRun run) throws RemoteException {
        SshSession.Result listed = ssh.exec("cat " + Shell.quote(run.runDir() + "/" + JOBS_FILE) + " 2>/dev/null");
        link(listed, "read the jobs of " + run.runId());
        return listed.stdout().lines().map(String::strip).filter(line -> JOB_ID.matcher(line).matches()).toList();
    }

    /** The job's state; {@link JobState#UNKNOWN} once no Slurm tool remembers it. */
    public JobState state(String job) throws RemoteException {
        String id = Shell.quote(job);
        SshSession.Result queued = slurm("squeue -h -j " + id + " -o %T 2>/dev/null");
        link(queued, "squeue");
        if (queued.exitCode() == 0 && !queued.stdout().isBlank()) {
            return JobState.parse(firstLine(queued.stdout()));
        }
        SshSession.Result accounted = slurm("sacct -n -X -P -j " + id + " -o State 2>/dev/null");
        link(accounted, "sacct");
        if (accounted.exitCode() == 0 && !accounted.stdout().isBlank()) {
            return JobState.parse(firstLine(accounted.stdout()));
        }
        SshSession.Result shown = slurm("scontrol show job " + id + " 2>/dev/null");
        link(shown, "scontrol");
        Matcher state = SCONTROL_STATE.matcher(shown.stdout());
        return state.find() ? JobState.parse(state.group(1)) : JobState.UNKNOWN;
    }

    /**
     * The tasks of array job {@code job} by state, as the controller still remembers them (a few minutes after
     * the end on a cluster without accounting); no tasks when it has forgotten the job.
     */
    public ArrayTasks arrayTasks(String job) throws RemoteException {
        SshSession.Result shown = slurm("scontrol show job " + Shell.quote(job) + " 2>/dev/null");
        link(shown, "scontrol");
        return ArrayTasks.parse(shown.exitCode() == 0 ? shown.stdout() : "");
    }

    /** The last {@code lines} lines of a file on the cluster (a job's log); empty when it cannot be read. */
    public String tail(String file, int lines) throws RemoteException {
        SshSession.Result tail = ssh.exec("tail -n " + lines + " " + Shell.quote(file) + " 2>/dev/null");
        link(tail, "tail " + file);
        return tail.exitCode() == 0 ? tail.stdout() : "";
    }

    /**
     * Cancels the job: Slurm sends SIGTERM, the trainer checkpoints and journals {@code cancelled}, and SIGKILL
     * follows only after the cluster's KillWait.
     */
    public void cancel(String job) throws RemoteException {
        SshSession.Result cancelled = slurm("scancel " + Shell.quote(job));
        link(cancelled, "scancel");
        if (cancelled.exitCode() != 0) {
            throw RemoteException.refused("scancel " + job + " failed on " + ssh.node().address() + ": "
                    + firstLine(cancelled.stderr() + cancelled.stdout()));
        }
    }

    private SshSession.Result slurm(String command) throws RemoteException {
        return ssh.exec(target.setup().isEmpty() ? command : target.setup() + " && " + command);
    }

    private void link(SshSession.Result result, String what) throws RemoteException {
        if (result.exitCode() == -1) {
            throw new RemoteException("the link to " + ssh.node().address() + " dropped during " + what, true, null);
        }
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline).strip();
    }
}
