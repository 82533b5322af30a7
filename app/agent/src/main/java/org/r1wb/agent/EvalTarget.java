package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.RunSpecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint named on the command line: a run id (its last checkpoint) or a checkpoint folder; with
 * the run it belongs to, whose data reference gives the tokenizer.
 *
 * @param checkpoint the checkpoint folder
 * @param run        the run that wrote it
 * @param shards     the token shards (and tokenizer) it was trained on
 * @param label      how tables name it: run id and step
 */
record EvalTarget(Path checkpoint, RunFolder run, Path shards, String label) {

    /** Resolves {@code name} in {@code workspace}; a message says what is missing when it cannot. */
    static EvalTarget resolve(Path workspace, String name) throws IOException {
        RunFolder run = RunFolder.of(workspace, name);
        Path checkpoint;
        if (Files.isRegularFile(run.spec())) {
            String last = null;
            for (RunEvent event : EventJournal.read(run.events())) {
                if ("checkpoint".equals(event.type())) {
                    last = event.text("path");
                }
            }
            if (last == null) {
                throw new IllegalArgumentException("run " + name + " has no checkpoint yet");
            }
            checkpoint = run.dir().resolve(last).normalize();
        } else {
            checkpoint = Path.of(name).toAbsolutePath().normalize();
            if (!Files.isRegularFile(checkpoint.resolve(Checkpoints.META))) {
                throw new IllegalArgumentException("'" + name + "' is neither a run in " + workspace.resolve("runs")
                        + " nor a checkpoint folder (no " + Checkpoints.META + ")");
            }
        }
        CheckpointMeta meta = Checkpoints.readMeta(checkpoint);
        RunFolder owner = RunFolder.of(workspace, meta.runId());
        if (!Files.isRegularFile(owner.spec())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " belongs to run " + meta.runId()
                    + ", which is not in " + workspace.resolve("runs") + "; its run.json names the tokenizer");
        }
        Path shards = workspace.resolve(RunSpecs.load(owner.spec()).data().path());
        return new EvalTarget(checkpoint, owner, shards, meta.runId() + "@" + meta.step());
    }

    /** The checkpoint's content digest, as the cache keys it. */
    String digest() throws IOException {
        return Checkpoints.sha256(checkpoint.resolve(Checkpoints.WEIGHTS));
    }
}
