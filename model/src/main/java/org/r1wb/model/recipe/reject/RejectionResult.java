package org.r1wb.model.recipe.reject;

import org.r1wb.model.train.TrainResult;

import java.nio.file.Path;

/**
 * How a rejection-sampling run ended.
 *
 * @param outcome  finished, cancelled (run it again to go on) or failed
 * @param message  one line for people
 * @param prompts  prompts done (in this run and earlier ones)
 * @param samples  completions sampled for them
 * @param accepted completions the rewards accepted, duplicates included
 * @param kept     examples in the SFT set (accepted, deduplicated)
 * @param out      the SFT set written, or {@code null} when the run did not finish
 */
public record RejectionResult(TrainResult.Outcome outcome, String message, int prompts, int samples, int accepted,
                              int kept, Path out) {

    /** Accepted completions per sampled one, or {@code NaN} before any. */
    public double acceptanceRate() {
        return samples == 0 ? Double.NaN : (double) accepted / samples;
    }
}
