package org.r1wb.workbench.run;

import java.nio.file.Path;

/**
 * What the run launcher asks for: a training run of a model on a pipeline's output.
 *
 * @param data      a pipeline output folder ({@code data/<digest>}, holding token shards)
 * @param modelFile a {@code *.model.json}
 * @param steps     optimizer steps
 * @param lr        peak learning rate
 * @param seed      fixes weights, sampled windows and dropout
 * @param target    where to train
 */
public record RunRequest(Path data, Path modelFile, int steps, double lr, long seed, RunTarget target) {
}
