package org.r1wb.agent.slurm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteBinding;
import org.r1wb.agent.remote.RemoteRun;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmTargetTest {

    @Test
    void everyBadFieldIsReportedWithItsNameAndAFix() {
        SlurmTarget bad = new SlurmTarget(" ", "", "gpu queue", "lab;rm", 4, -1, 0, "tomorrow");
        assertThat(bad.problems()).hasSize(7).allSatisfy(p -> assertThat(p).contains(":"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.node"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.partition 'gpu queue'"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.account 'lab;rm'"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.nodes is 4").contains("backend pytorch"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.gpusPerNode is -1"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.cpusPerTask is 0"))
                .anySatisfy(p -> assertThat(p).startsWith("slurm.timeLimit 'tomorrow'").contains("HH:MM:SS"));
        assertThatThrownBy(() -> new SlurmCluster(null, bad)).hasMessageContaining("slurm.timeLimit");
    }

    @Test
    void slurmTimeFormsAreAccepted() {
        for (String time : new String[] {"90", "01:30:00", "30:00", "2-00:00:00", "1-12", "1-12:30"}) {
            assertThat(new SlurmTarget("login", "", "", "", 1, 0, 1, time).problems()).as(time).isEmpty();
        }
    }

    @Test
    void theScriptAsksForTheTargetsResourcesAndAlwaysResumes() {
        RemoteRun run = new RemoteRun(new NodeSpec("login", "h", 22, "u", "/k", false, null, "r1wb", null),
                "/home/u/r1wb", "/home/u/r1wb/dist/abc", "exp-1");
        String script = BatchScript.render(new SlurmTarget("login", "", "gpu", "lab", 1, 8, 16, "2-00:00:00"), run);
        assertThat(script).startsWith("#!/bin/bash\n").contains(
                "#SBATCH --job-name=r1wb-exp-1\n",
                "#SBATCH --output=/home/u/r1wb/workspace/runs/exp-1/slurm-%j.log\n",
                "#SBATCH --gpus-per-node=8\n", "#SBATCH --cpus-per-task=16\n", "#SBATCH --partition=gpu\n",
                "#SBATCH --account=lab\n", "#SBATCH --time=2-00:00:00\n", "#SBATCH --requeue\n",
                "#SBATCH --signal=B:TERM@120\n", "cd '/home/u/r1wb/workspace' || exit 1\n");
        String last = script.strip().substring(script.strip().lastIndexOf('\n') + 1);
        assertThat(last).startsWith("exec ").contains("'/home/u/r1wb/dist/abc/lib/*'", "'train'",
                "'--run-dir' '/home/u/r1wb/workspace/runs/exp-1' '--resume'", "-Dai.djl.offline=true");
        assertThat(BatchScript.render(SlurmTarget.onLoginNode("login", ""), run)).doesNotContain("--gpus-per-node",
                "--partition", "--account");
    }

    @Test
    void aPytorchTargetTrainsOnSeveralNodesUnderTorchrunAndADjlOneCannot() {
        RemoteRun run = new RemoteRun(new NodeSpec("login", "h", 22, "u", "/k", false, null, "r1wb", null),
                "/home/u/r1wb", "/home/u/r1wb/dist/abc", "exp-1");
        SlurmTarget torch = new SlurmTarget("login", "", "gpu", "", 4, 8, 64, "24:00:00", SlurmTarget.PYTORCH, 8);
        assertThat(torch.problems()).isEmpty();
        String script = BatchScript.render(torch, run, "/home/u/r1wb/python/d1");
        assertThat(script).contains("#SBATCH --nodes=4\n", "#SBATCH --ntasks-per-node=1\n", "#SBATCH --signal=TERM@120\n",
                "export PYTHONPATH='/home/u/r1wb/python/d1'", "export OMP_NUM_THREADS=8\n",
                "head=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)",
                "exec srun --kill-on-bad-exit=1 torchrun --nnodes=\"$SLURM_NNODES\" --rdzv_backend=c10d "
                        + "--rdzv_endpoint=\"$head:29500\" --rdzv_id=\"$SLURM_JOB_ID\" --nproc_per_node=8 --redirects 1 "
                        + "--tee 1 -m r1wb_torch.train '/home/u/r1wb/workspace/runs/exp-1' --resume --device cuda --bf16")
                .doesNotContain("B:TERM", "'train'");
        assertThatThrownBy(() -> BatchScript.render(torch, run)).hasMessageContaining("r1wb_torch");
        SlurmTarget djl = new SlurmTarget("login", "", "", "", 1, 0, 2, "60", SlurmTarget.DJL, 4);
        assertThat(djl.problems()).singleElement().asString().startsWith("slurm.procsPerNode is 4");
        assertThat(new SlurmTarget("login", "", "", "", 1, 0, 2, "60", "jax", 1).problems()).singleElement()
                .asString().startsWith("slurm.backend 'jax'");
    }

    @Test
    void theRunFoldersBindingsKeepTheTargetAsItWas(@TempDir Path dir) throws Exception {
        SlurmTarget torch = new SlurmTarget("login", "module load slurm", "gpu", "lab", 2, 8, 64, "1-00:00:00",
                SlurmTarget.PYTORCH, 8);
        RemoteRun run = new RemoteRun(new NodeSpec("login", "h", 22, "u", "/k", false, null, "r1wb", null),
                "/home/u/r1wb", "/home/u/r1wb/dist/abc", "exp-1");
        RemoteBinding.of(run, torch).save(dir);
        assertThat(RemoteBinding.load(dir).orElseThrow().slurm()).isEqualTo(torch);
        PipelineRunBinding pipeline = new PipelineRunBinding("pipelines/web.pipeline.json", "/shared/ws", 4,
                SlurmTarget.onLoginNode("login", ""), "41", "42", "/shared/ws/.slurm/web");
        pipeline.save(dir);
        assertThat(PipelineRunBinding.load(dir)).contains(pipeline);
    }

    @Test
    void sbatchSeesEveryDirectiveOfAPipelineBatch() {
        NodeSpec login = new NodeSpec("login", "h", 22, "u", "/k", false, null, "r1wb", null);
        PipelineBatch batch = new PipelineBatch(new SlurmTarget("login", "", "cpu", "", 1, 0, 4, "60"), login,
                "/home/u/r1wb/dist/abc", "/shared/ws", "pipelines/web.pipeline.json", 8);
        for (String script : new String[] {batch.shardScript(), batch.mergeScript()}) {
            // sbatch stops reading #SBATCH lines at the first command
            int firstCommand = script.indexOf("\ncd ");
            assertThat(script.lastIndexOf("#SBATCH")).isLessThan(firstCommand);
            assertThat(script).contains("#SBATCH --partition=cpu\n", "#SBATCH --cpus-per-task=4\n", "cd '/shared/ws' || exit 1\n");
        }
        assertThat(batch.shardScript()).contains("#SBATCH --array=0-7\n", "#SBATCH --job-name=r1wb-pipe-web\n",
                "'--shard' \"${SLURM_ARRAY_TASK_ID}/8\"", "#SBATCH --output=/shared/ws/.slurm/web/shards-%A_%a.log");
        assertThat(batch.mergeScript()).contains("'--merge' '8'").doesNotContain("--array", "--shard");
    }

    @Test
    void statesParseAsTheToolsPrintThem() {
        assertThat(JobState.parse("CANCELLED by 0")).isEqualTo(JobState.CANCELLED);
        assertThat(JobState.parse("cancelled+")).isEqualTo(JobState.CANCELLED);
        assertThat(JobState.parse(" RUNNING\n")).isEqualTo(JobState.RUNNING);
        assertThat(JobState.parse("OUT_OF_MEMORY")).isEqualTo(JobState.OUT_OF_MEMORY);
        assertThat(JobState.parse("")).isEqualTo(JobState.UNKNOWN);
        assertThat(JobState.parse(null)).isEqualTo(JobState.UNKNOWN);
        assertThat(JobState.REQUEUED.isWaiting()).isTrue();
        assertThat(JobState.PENDING.isFinal()).isFalse();
        assertThat(JobState.RUNNING.isWaiting() || JobState.RUNNING.isFinal()).isFalse();
        assertThat(JobState.TIMEOUT.isFinal()).isTrue();
    }
}
