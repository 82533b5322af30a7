package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code r1wb train RUN.json} (or {@code --run-dir DIR}): trains one run in this process, writing its
 * journal and checkpoints into the run folder. The workbench and {@code demo} start it as a child process.
 */
@Command(name = "train", description = "Train one run in this process (its folder holds run.json).")
public final class TrainCommand extends BaseCommand implements Callable<Integer> {

    /** File in a run folder whose appearance asks the trainer to stop at the next step (see {@code r1wb cancel}). */
    public static final String CANCEL_FILE = "cancel";

    @ArgGroup(multiplicity = "1")
    private Target target;

    static final class Target {
        @Parameters(paramLabel = "RUN.json", description = "The run spec; its folder becomes the run folder.")
        Path runJson;

        @Option(names = "--run-dir", paramLabel = "DIR", description = "The run folder (holds run.json).")
        Path runDir;
    }

    @Override
    public Integer call() throws IOException {
        RunFolder run = new RunFolder((target.runDir != null ? target.runDir : target.runJson.toAbsolutePath().getParent())
                .toAbsolutePath().normalize());
        if (!Files.isRegularFile(run.spec())) {
            return badInput("no run spec at " + run.spec());
        }
        RunSpec spec;
        try {
            spec = RunSpecs.load(run.spec());
        } catch (IOException e) {
            return badInput(e.getMessage());
        }
        Files.writeString(run.dir().resolve(RunFolder.PID), Long.toString(ProcessHandle.current().pid()));
        Path workspace = run.dir().getParent().getParent();
        Path data = workspace.resolve(spec.data().path()).normalize();

        AtomicBoolean stop = new AtomicBoolean();
        Thread hook = new Thread(() -> stop.set(true), "r1wb-train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EventJournal journal = EventJournal.openForAppend(run.events(), spec.id())) {
            TokenShards shards;
            try {
                shards = TokenShards.open(data);
            } catch (IOException e) {
                journal.emit("status", Map.of("state", "failed", "message", "cannot open the training data: " + e.getMessage()));
                return badInput("cannot open the training data " + data + ": " + e.getMessage());
            }
            out().println("training " + spec.id() + ": " + spec.steps() + " steps, batch " + spec.batchSize()
                    + " x " + spec.seqLen() + " tokens, data " + data);
            out().flush();
            TrainResult result = new Trainer().train(spec,
                    new ShardTokenSource(shards.split("train"), shards.vocabSize()),
                    new ShardTokenSource(shards.split("val"), shards.vocabSize()),
                    run.dir(), journal,
                    () -> stop.get() || Files.exists(run.dir().resolve(CANCEL_FILE)));
            out().println(result.outcome() + ": " + result.message());
            return switch (result.outcome()) {
                case FINISHED -> ExitCodes.OK;
                case CANCELLED -> ExitCodes.CANCELLED;
                case FAILED -> ExitCodes.FAILED;
            };
        } catch (IllegalArgumentException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook has run
            }
        }
    }
}
