package org.r1wb.model.train;

import org.r1wb.model.spec.ModelSpec;

/**
 * {@code meta.json} of a checkpoint folder.
 *
 * @param formatVersion  version of the checkpoint layout ({@link Checkpoints#FORMAT_VERSION})
 * @param runId          the run that wrote it
 * @param step           optimizer steps taken
 * @param model          the model spec the weights fit
 * @param weightsDigest  SHA-256 (hex) of {@code weights.params}
 * @param trainLoss      training loss of the last step
 * @param valLoss        last validation loss, or {@code null} if none was measured yet
 * @param seed           the run seed (with {@code step}, fixes where the window sampler stands)
 */
public record CheckpointMeta(int formatVersion, String runId, int step, ModelSpec model, String weightsDigest,
                             double trainLoss, Double valLoss, long seed) {
}
