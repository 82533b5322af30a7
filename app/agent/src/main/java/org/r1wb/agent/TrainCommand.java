package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.Trainer;
import org.r1wb.pipeline.shards.TokenShards;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code r1wb train RUN.json} (or {@code --run-dir DIR}): trains one run in this process, writing its
 * journal and checkpoints into the run folder, while holding the run's {@link RunLock} so no second agent drives
 * it. The workbench and {@code demo} start it as a child process; {@code --detach} starts it in its own session.
 */
@Command(name = "train", description = "Train one run in this process (its folder holds run.json).")
public final class TrainCommand extends BaseCommand implements Callable<Integer> {

    /** File in a run folder whose appearance asks the trainer to stop at the next step (see {@code r1wb cancel}). */
    public static final String CANCEL_FILE = "cancel";

    /** How long a starting trainer waits for a reader that probes the lock for a moment. */
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(3);

    @ArgGroup(multiplicity = "1")
    private Target target;

    static final class Target {
        @Parameters(paramLabel = "RUN.json", description = "The run spec; its folder becomes the run folder.")
        Path runJson;

        @Option(names = "--run-dir", paramLabel = "DIR", description = "The run folder (holds run.json).")
        Path runDir;
    }

    @Option(names = "--detach", description = "Start the trainer as a background process in its own session "
            + "(it outlives this terminal or SSH session), print its pid and return.")
    private boolean detach;

    @Option(names = "--resume", description = "Continue a stopped run from its last checkpoint.")
    private boolean resume;

    @Option(names = "--device-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Write the GPU status (nvidia-smi) into the journal every SECONDS while training; 0: only at "
                    + "start (default: ${DEFAULT-VALUE}).")
    private double deviceEvery;

    @Option(names = "--heap", defaultValue = "2g", description = "Heap of the detached trainer's JVM (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RunFolder run = new RunFolder((target.runDir != null ? target.runDir : target.runJson.toAbsolutePath().getParent())
                .toAbsolutePath().normalize());
        if (!Files.isRegularFile(run.spec())) {
            return badInput("no run spec at " + run.spec());
        }
        if (!(deviceEvery >= 0)) {
            return badInput("--device-every " + deviceEvery + " is not a number of seconds >= 0 (0: sample only at start)");
        }
        RunSpec spec;
        try {
            spec = RunSpecs.load(run.spec());
        } catch (IOException e) {
            return badInput(e.getMessage());
        }
        if (resume) {
            return resume(run, spec);
        }
        if (detach) {
            if (RunLock.isHeld(run)) {
                return busy(run);
            }
            Process trainer = new LocalRunLauncher(List.of("-Xmx" + heap))
                    .startDetached(run, List.of("--device-every", Double.toString(deviceEvery)));
            out().println("started " + run.id() + " detached (pid " + trainer.pid() + "), log " + run.dir().resolve(RunFolder.LOG));
            return ExitCodes.OK;
        }
        Optional<RunLock> lock = RunLock.acquire(run, LOCK_PATIENCE);
        if (lock.isEmpty()) {
            return busy(run);
        }
        try (RunLock ignored = lock.get()) {
            List<RunEvent> earlier = EventJournal.read(run.events());
            if (!earlier.isEmpty()) {
                return badInput("run " + run.id() + " already has " + earlier.size() + " events (state "
                        + run.state() + "): continue it with --resume, or train a new run folder");
            }
            return train(run, spec, false);
        }
    }

    /**
     * Continues a stopped, failed or lost run from its latest checkpoint: the trainer restores weights, AdamW
     * state, step and sampler position, so on CPU every later loss equals the uninterrupted run's.
     */
    private int resume(RunFolder run, RunSpec spec) throws IOException, InterruptedException {
        String state = run.settle();
        if ("finished".equals(state)) {
            out().println(run.id() + " is already finished");
            return ExitCodes.OK;
        }
        Optional<RunLock> lock = RunLock.acquire(run, LOCK_PATIENCE);
        if (lock.isEmpty()) {
            return busy(run);
        }
        try (RunLock ignored = lock.get()) {
            Files.deleteIfExists(run.dir().resolve(CANCEL_FILE));
            out().println("resuming " + run.id() + " (was " + state + ") from its latest checkpoint in " + run.checkpoints());
            return train(run, spec, true);
        }
    }

    private Duration deviceEvery() {
        return Duration.ofMillis(Math.round(deviceEvery * 1000));
    }

    private int busy(RunFolder run) {
        String pid;
        try {
            pid = " (pid " + Files.readString(run.dir().resolve(RunFolder.PID)).strip() + ")";
        } catch (IOException e) {
            pid = "";
        }
        err().println("error: run " + run.id() + " is driven by another agent" + pid
                + "; follow it with 'r1wb attach " + run.id() + "' or stop it with 'r1wb cancel " + run.id() + "'");
        return ExitCodes.BUSY;
    }

    private int train(RunFolder run, RunSpec spec, boolean fromCheckpoint) throws IOException {
        Files.writeString(run.dir().resolve(RunFolder.PID), Long.toString(ProcessHandle.current().pid()));
        Path workspace = run.dir().getParent().getParent();
        Path data = workspace.resolve(spec.data().path()).normalize();

        GracefulStop stop = new GracefulStop("r1wb-train-shutdown");
        try (EventJournal journal = EventJournal.openForAppend(run.events(), spec.id());
             DeviceSampler devices = new DeviceSampler(journal, deviceEvery(), GpuTelemetry::local)) {
            EventSink events = devices.sink();
            TokenShards shards;
            try {
                shards = TokenShards.open(data);
            } catch (IOException e) {
                events.emit("status", Map.of("state", "failed", "message", "cannot open the training data: " + e.getMessage()));
                return badInput("cannot open the training data " + data + ": " + e.getMessage());
            }
            out().println("training " + spec.id() + ": " + spec.steps() + " steps, batch " + spec.batchSize()
                    + " x " + spec.seqLen() + " tokens, data " + data);
            out().flush();
            ShardTokenSource train = new ShardTokenSource(shards.split("train"), shards.vocabSize());
            ShardTokenSource val = new ShardTokenSource(shards.split("val"), shards.vocabSize());
            BooleanSupplier cancelled = () -> stop.requested() || Files.exists(run.dir().resolve(CANCEL_FILE));
            Trainer trainer = new Trainer();
            TrainResult result = fromCheckpoint
                    ? trainer.resume(spec, train, val, run.dir(), events, cancelled)
                    : trainer.train(spec, train, val, run.dir(), events, cancelled);
            out().println(result.outcome() + ": " + result.message());
            return switch (result.outcome()) {
                case FINISHED -> ExitCodes.OK;
                case CANCELLED -> ExitCodes.CANCELLED;
                case FAILED -> ExitCodes.FAILED;
            };
        } catch (IllegalArgumentException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("error: interrupted while stopping the GPU sampler");
            return ExitCodes.FAILED;
        } finally {
            stop.close();
        }
    }
}
