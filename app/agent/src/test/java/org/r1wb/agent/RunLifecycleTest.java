package org.r1wb.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's life on this machine with real trainer processes: detached from its launcher, locked against a
 * second agent, killed with SIGKILL and then reported failed with the reason.
 */
class RunLifecycleTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    @Test
    void killingTheLauncherLeavesTheRunGoingAndTheLockKeepsASecondAgentOut(@TempDir Path ws) throws Exception {
        // long enough that the trainer is surely still going when the second agent knocks; cancelled below
        RunFolder run = TinyRuns.create(ws, "r-detached", 100_000, 0);
        List<String> command = new ArrayList<>(new LocalRunLauncher(List.of("-Xmx256m")).command(List.of()));
        command.set(command.size() - 1, DetachedLauncher.class.getName());
        command.add(run.dir().toString());
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).start();
        String started = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(started).startsWith("trainer ");
        long trainerPid = Long.parseLong(started.substring("trainer ".length()).strip());

        TinyRuns.await("the trainer to report running", Duration.ofSeconds(60), () -> stateIs(run, "running"));
        launcher.destroyForcibly();
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(trainerPid).map(ProcessHandle::isAlive)).as("trainer outlives its launcher").contains(true);

        assertThat(cli("train", "--run-dir", run.dir().toString())).isEqualTo(ExitCodes.BUSY);
        assertThat(err.toString()).contains("driven by another agent").contains(Long.toString(trainerPid));

        assertThat(cli("cancel", "-w", ws.toString(), "r-detached")).isZero();
        TinyRuns.await("the run to stop", Duration.ofSeconds(90), () -> stateIs(run, "cancelled"));
        List<RunEvent> events = EventJournal.read(run.events());
        assertThat(events).extracting(RunEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        RunEvent device = events.stream().filter(e -> "device".equals(e.type())).findFirst().orElseThrow();
        assertThat(device.text("state")).isIn("ok", "no-gpu");
        if (!hasNvidiaSmi()) {
            assertThat(device.text("state")).isEqualTo("no-gpu");
            assertThat(device.text("reason")).contains("nvidia-smi");
        }
    }

    @Test
    void killMinus9LeavesTheRunFailedWithItsReasonAndItsCheckpoints(@TempDir Path ws) throws Exception {
        RunFolder run = TinyRuns.create(ws, "r-killed", 5000, 10);
        assertThat(cli("train", "--detach", "--heap", "512m", "--run-dir", run.dir().toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("started r-killed detached");

        TinyRuns.await("a checkpoint", Duration.ofSeconds(90), () -> journal(run).stream().anyMatch(e -> "checkpoint".equals(e.type())));
        long pid = Long.parseLong(Files.readString(run.dir().resolve(RunFolder.PID)).strip());
        ProcessHandle trainer = ProcessHandle.of(pid).orElseThrow();
        trainer.destroyForcibly();
        trainer.onExit().get(10, TimeUnit.SECONDS);

        assertThat(cli("status", "-w", ws.toString(), "r-killed")).isZero();
        assertThat(out.toString()).contains("r-killed: failed").contains("killed").contains("pid " + pid);
        List<RunEvent> events = journal(run);
        RunEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo("status");
        assertThat(last.text("state")).isEqualTo("failed");
        assertThat(events.stream().filter(e -> "status".equals(e.type()) && "failed".equals(e.text("state")))).hasSize(1);
        assertThat(cli("status", "-w", ws.toString(), "r-killed")).isZero();
        assertThat(journal(run)).as("settling twice writes nothing more").hasSize(events.size());
        try (var checkpoints = Files.list(run.checkpoints())) {
            assertThat(checkpoints.filter(Files::isDirectory)).isNotEmpty();
        }

        assertThat(cli("train", "--run-dir", run.dir().toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("already has " + events.size() + " events").contains("--resume");

        // resume continues from the latest checkpoint; cancel it once it has made progress
        long checkpointStep = (long) journal(run).stream().filter(e -> "checkpoint".equals(e.type()))
                .mapToDouble(e -> e.number("step")).max().orElseThrow();
        int before = journal(run).size();
        java.util.concurrent.CompletableFuture<Integer> resumed = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli("train", "--resume", "--run-dir", run.dir().toString()));
        TinyRuns.await("steps after the resume", Duration.ofSeconds(90), () -> journal(run).stream().skip(before)
                .anyMatch(e -> "metric".equals(e.type()) && e.number("step") >= checkpointStep + 3));
        Files.writeString(run.dir().resolve(TrainCommand.CANCEL_FILE), "stop");
        assertThat(resumed.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.CANCELLED);
        List<RunEvent> after = journal(run).subList(before, journal(run).size());
        RunEvent firstStep = after.stream().filter(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss")))
                .findFirst().orElseThrow();
        assertThat((long) firstStep.number("step")).as("the first step after the resume follows the checkpoint")
                .isEqualTo(checkpointStep + 1);
        assertThat(after.get(after.size() - 1).text("state")).isEqualTo("cancelled");
    }

    @Test
    void aRunningJournalWithoutALockHolderIsLostUntilSettled(@TempDir Path ws) throws IOException {
        RunFolder run = RunFolder.of(ws, "r-1");
        Files.createDirectories(run.dir());
        Files.writeString(run.spec(), "{}");
        try (EventJournal journal = EventJournal.openForAppend(run.events(), "r-1")) {
            journal.emit("status", Map.of("state", "running"));
        }
        try (RunLock held = RunLock.tryAcquire(run).orElseThrow()) {
            assertThat(run.state()).isEqualTo("running");
            assertThat(RunLock.tryAcquire(run)).as("one holder at a time").isEmpty();
            assertThat(run.settle()).isEqualTo("running");
        }
        assertThat(run.state()).isEqualTo("lost");
        assertThat(run.settle()).isEqualTo("failed");
        assertThat(journal(run)).hasSize(2);
    }

    private static boolean stateIs(RunFolder run, String state) {
        try {
            return state.equals(run.state());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<RunEvent> journal(RunFolder run) {
        try {
            return EventJournal.read(run.events());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasNvidiaSmi() {
        return System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "nvidia-smi")));
    }
}
