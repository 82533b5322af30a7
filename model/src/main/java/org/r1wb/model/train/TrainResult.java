package org.r1wb.model.train;

import java.nio.file.Path;

/**
 * How a training run ended.
 *
 * @param outcome          finished, cancelled or failed
 * @param message          a one-line human summary (the failure reason when failed)
 * @param steps            optimizer steps completed
 * @param initialLoss      training loss of the first step
 * @param finalLoss        mean training loss of the last (up to) 10 steps, steadier than the last step alone
 * @param finalValLoss     validation loss at the end ({@code NaN} when the run did not get there)
 * @param checkpoint       the last checkpoint written, or {@code null}
 * @param tokensPerSecond  training tokens per second of step time (validation and checkpoints excluded)
 */
public record TrainResult(Outcome outcome, String message, int steps, double initialLoss, double finalLoss,
                          double finalValLoss, Path checkpoint, double tokensPerSecond) {

    /** How a run ended. */
    public enum Outcome {
        FINISHED, CANCELLED, FAILED
    }
}
