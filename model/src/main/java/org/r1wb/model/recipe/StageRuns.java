package org.r1wb.model.recipe;

import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.AdamW;
import org.r1wb.model.train.CheckpointInfo;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the recipe's own stages (grpo, dpo, rejection-sample) share about their run folders: the checks on the
 * checkpoint they start from and the one they resume from, writing a checkpoint with its journal event, and status
 * events.
 */
public final class StageRuns {

    private StageRuns() {
    }

    /**
     * The metadata of the stage's starting checkpoint {@code init}, which must exist and hold weights of
     * {@code model}; {@code what} says what the stage does with it in the message ("grpo starts from").
     */
    public static CheckpointMeta init(Path init, ModelSpec model, String runId, String what) throws IOException {
        if (init == null || !Files.isDirectory(init)) {
            throw new IllegalArgumentException("init: no checkpoint folder at " + init + ": " + what
                    + " a trained model; run the stage before it first");
        }
        CheckpointMeta meta = Checkpoints.readMeta(init);
        if (!meta.model().equals(model)) {
            throw new IllegalArgumentException("init: " + init + " holds weights of another model spec than "
                    + runId + "'s: use the model spec of the run that wrote it");
        }
        return meta;
    }

    /**
     * Where a stage's run folder stands before it runs: its latest checkpoint ({@code null}: none yet) and that
     * checkpoint's metadata.
     */
    public record Start(Path from, CheckpointMeta resumed) {

        /** Optimizer steps the run folder already holds. */
        public int done() {
            return resumed == null ? 0 : resumed.step();
        }

        /** Says the stage is over (it holds {@code steps} steps already) and returns what it hands back. */
        public TrainResult alreadyFinished(int steps, EventSink events) {
            String message = "already finished: " + from + " is at step " + done() + " of " + steps;
            status(events, "finished", message);
            return new TrainResult(TrainResult.Outcome.FINISHED, message, 0, Double.NaN, resumed.trainLoss(),
                    Double.NaN, from, 0);
        }
    }

    /** The run folder's latest checkpoint in {@code checkpoints}, checked to be this stage's (spec and seed). */
    public static Start start(Path checkpoints, ModelSpec model, long seed, String runId) throws IOException {
        Path from = Checkpoints.latest(checkpoints).orElse(null);
        return new Start(from, from == null ? null : resumable(from, model, seed, runId));
    }

    /** The metadata of a checkpoint to resume from, which this stage (same spec and seed) must have written. */
    public static CheckpointMeta resumable(Path from, ModelSpec model, long seed, String runId) throws IOException {
        CheckpointMeta meta = Checkpoints.readMeta(from);
        if (!meta.model().equals(model) || meta.seed() != seed) {
            throw new IllegalArgumentException(from + " was written for another model spec or seed than run "
                    + runId + "'s: resume with the recipe that wrote it, or run the stage in a new folder");
        }
        return meta;
    }

    /** Writes checkpoint {@code name} (weights, optimizer state, {@code meta}), journals it, and returns its folder. */
    public static Path checkpoint(EventSink events, Path checkpoints, String name, MoeTransformer policy,
                                  AdamW optimizer, CheckpointMeta meta) throws IOException {
        CheckpointInfo info = Checkpoints.write(checkpoints, name, policy, optimizer, meta);
        events.emit("checkpoint", Map.of("step", meta.step(), "path",
                checkpoints.getParent().relativize(info.path()).toString(), "digest", info.digest()));
        return info.path();
    }

    /** A {@code status} event. */
    public static void status(EventSink events, String state, String message) {
        events.emit("status", Map.of("state", state, "message", message));
    }
}
