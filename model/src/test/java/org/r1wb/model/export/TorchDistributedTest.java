package org.r1wb.model.export;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code torchrun --nproc_per_node=2} (gloo, CPU) trains the sample model with DDP, is stopped after step 10 as a
 * preemption would stop it, resumes from its checkpoint, and follows the single-process run of the same global batch;
 * rank 0's journal is a run as the workbench reads it.
 */
class TorchDistributedTest {

    /**
     * Relative loss difference allowed between one process and two DDP ranks. The ranks' mean gradients equal the
     * single process's up to the order of fp32 sums (all-reduce, then halving), ~1e-7 relative per step (measured:
     * at most 4e-7 over 20 steps); the margin covers a flipped near-tie in top-k routing. Training on the wrong slice,
     * a rank-local bias update or a missed all-reduce moves the loss by 1e-3 or more.
     */
    static final double LOSS_TOLERANCE = 1e-4;
    static final int EOT = 511;

    @TempDir
    Path dir;

    @BeforeAll
    static void torch() throws Exception {
        TorchBackend.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(TorchBackend.TORCHRUN)),
                TorchBackend.TORCHRUN + " is missing (it comes with python3-torch)");
    }

    @Test
    void twoRanksTrainTheSampleModelLikeOneProcess() throws Exception {
        ModelSpec sample;
        try (InputStream in = getClass().getResourceAsStream("/org/r1wb/resources/presets/sample.model.json")) {
            sample = ModelSpecs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        int[] tokens = TorchBackend.phrases(12_000, EOT, 3);
        TorchBackend.writeShards(dir.resolve("data/tok"), Arrays.copyOfRange(tokens, 0, 10_000),
                Arrays.copyOfRange(tokens, 10_000, tokens.length), 512, EOT);

        Path single = runDir(sample, "single");
        TorchBackend.Result one = TorchBackend.run(dir, 300, TorchBackend.PYTHON, "-m", "r1wb_torch.train",
                single.toString());
        assertThat(one.exitCode()).as(one.output()).isZero();

        Path ddp = runDir(sample, "ddp");
        TorchBackend.Result stopped = torchrun(ddp, "--stop-after", "7");
        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(Checkpoints.readMeta(ddp.resolve("checkpoints/step-7")).step()).as("meta.json as DJL writes it")
                .isEqualTo(7);
        assertThat(ddp.resolve("checkpoints/step-7/model.safetensors")).exists();
        TorchBackend.Result resumed = torchrun(ddp, "--resume");
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();

        List<RunEvent> reference = EventJournal.read(single.resolve("events.jsonl"));
        List<RunEvent> events = EventJournal.read(ddp.resolve("events.jsonl"));
        double worst = 0;
        for (int step = 1; step <= 20; step++) {
            double expected = loss(reference, step, "loss");
            double actual = loss(events, step, "loss");
            worst = Math.max(worst, Math.abs(actual - expected) / expected);
            assertThat(actual).as("loss at step %d", step).isCloseTo(expected, within(LOSS_TOLERANCE * expected));
        }
        assertThat(loss(events, 20, "val_loss"))
                .isCloseTo(loss(reference, 20, "val_loss"), within(LOSS_TOLERANCE * loss(reference, 20, "val_loss")));
        assertThat(loss(reference, 20, "loss")).as("it learned").isLessThan(loss(reference, 1, "loss") * 0.8);
        System.out.printf("ddp: worst relative loss difference %.2e over 20 steps%n", worst);
        journalIsARun(events, ddp);
    }

    /** What the workbench needs of a run folder: run.json, a gap-free journal, and checkpoints that are there. */
    private static void journalIsARun(List<RunEvent> events, Path runDir) throws IOException {
        assertThat(RunSpecs.load(runDir.resolve("run.json")).id()).isEqualTo("ddp");
        assertThat(runDir.resolve("agent.pid")).exists();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("seq is gap-free").isEqualTo(i + 1);
            assertThat(events.get(i).run()).isEqualTo("ddp");
        }
        List<String> states = events.stream().filter(e -> e.type().equals("status"))
                .map(e -> (String) e.fields().get("state")).toList();
        assertThat(states).containsExactly("running", "cancelled", "running", "finished");
        assertThat(events.stream().filter(e -> e.type().equals("metric") && e.fields().containsKey("loss")))
                .as("steps 1-7, then 8-20 after the resume, each journaled once: rank 0 alone writes").hasSize(20);
        List<RunEvent> routing = events.stream().filter(e -> e.type().equals("routing")).toList();
        assertThat(routing).hasSize(3 * 2); // 3 MoE layers at steps 10 and 20
        for (RunEvent event : routing) {
            double total = ((List<?>) event.fields().get("load")).stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
            assertThat(total).isCloseTo(1.0, within(1e-9));
        }
        for (RunEvent checkpoint : events.stream().filter(e -> e.type().equals("checkpoint")).toList()) {
            Path weights = runDir.resolve((String) checkpoint.fields().get("path")).resolve(ModelExport.WEIGHTS);
            if (Files.exists(weights)) { // older periodic ones are pruned (keepCheckpoints 1)
                assertThat(Checkpoints.sha256(weights)).isEqualTo(checkpoint.fields().get("digest"));
            }
        }
        assertThat(runDir.resolve("checkpoints/final/model.safetensors")).exists();
    }

    private Path runDir(ModelSpec model, String id) throws IOException {
        RunSpec spec = new RunSpec(id, model, new DataRef("data/tok", "tok"), null,
                new OptimizerSpec(3e-3, 3e-4, 0.1, 0.9, 0.95, 5, 1.0), 20, 8, 32, 1234, 10, 1, 10, 1, null);
        Path runDir = dir.resolve("runs").resolve(id);
        RunSpecs.save(spec, runDir.resolve("run.json"));
        return runDir;
    }

    private TorchBackend.Result torchrun(Path runDir, String... extra) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // --redirects 1 --tee 1: torch 1.13's launcher cannot parse its own default "0" on Python 3.11
        String[] command = {TorchBackend.TORCHRUN, "--redirects", "1", "--tee", "1", "--nproc_per_node", "2",
            "--master_port", String.valueOf(port), "-m", "r1wb_torch.train", runDir.toString()};
        String[] all = Arrays.copyOf(command, command.length + extra.length);
        System.arraycopy(extra, 0, all, command.length, extra.length);
        return TorchBackend.run(dir, 300, all);
    }

    private static double loss(List<RunEvent> events, int step, String key) {
        return events.stream().map(RunEvent::fields)
                .filter(f -> f.containsKey(key) && ((Number) f.get("step")).intValue() == step)
                .reduce((a, b) -> b).map(f -> ((Number) f.get(key)).doubleValue())
                .orElseThrow(() -> new AssertionError("no " + key + " at step " + step));
    }
}
