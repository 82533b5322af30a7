package org.r1wb.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The outcome of a pipeline run.
 *
 * @param outputDir {@code <workspace>/data/<digest>}
 * @param digest    the content digest of pipeline, inputs and stage versions
 * @param cached    true when the folder already existed and no stage ran
 * @param stats     per-node statistics (from the run that produced the folder, when cached)
 */
public record PipelineResult(Path outputDir, String digest, boolean cached, List<StageStats> stats) {

    public PipelineResult {
        stats = List.copyOf(stats);
    }
}
