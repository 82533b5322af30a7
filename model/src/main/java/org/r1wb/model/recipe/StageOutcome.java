package org.r1wb.model.recipe;

import java.nio.file.Path;

/**
 * What became of one stage in a recipe run.
 *
 * @param stage      the stage's name
 * @param kind       its kind
 * @param state      how it ended
 * @param message    one line for people
 * @param checkpoint the checkpoint it left (its final one), or {@code null}
 */
public record StageOutcome(String stage, StageKind kind, State state, String message, Path checkpoint) {

    /** How a stage ended. */
    public enum State {
        /** Ran to its last step (now, or in an earlier run). */
        FINISHED,
        /** Marked {@code skip} in the recipe. */
        SKIPPED,
        /** Cancelled; run the recipe again to resume it. */
        CANCELLED,
        /** Failed; the message says why. */
        FAILED
    }
}
