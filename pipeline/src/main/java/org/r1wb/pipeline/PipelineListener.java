package org.r1wb.pipeline;

import org.r1wb.pipeline.stage.StageStats;

/** Hears a pipeline run stage by stage (a CLI progress line, the workbench's run console). All methods optional. */
public interface PipelineListener {

    /** Hears nothing. */
    PipelineListener NONE = new PipelineListener() {
    };

    /** A node starts; {@code index} counts from 0 up to {@code total - 1}. */
    default void onStageStart(String nodeId, String stageId, int index, int total) {
    }

    /** Progress within the running node. */
    default void onStageProgress(String nodeId, double fraction, String message) {
    }

    /** A problem that does not stop the run, e.g. a skipped malformed line ({@code file:line: reason}). */
    default void onStageWarning(String nodeId, String message) {
    }

    /** A node's output was found in the node cache, so it did not run; {@code stats} are from the run that made it. */
    default void onStageCached(StageStats stats, int index, int total) {
    }

    /** A node finished. */
    default void onStageFinish(StageStats stats) {
    }
}
