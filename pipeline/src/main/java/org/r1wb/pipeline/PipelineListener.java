package org.r1wb.pipeline;

import org.r1wb.pipeline.stage.StageStats;

/**
 * Hears a pipeline run stage by stage (a CLI progress bar, the workbench's run console). All methods optional. Calls
 * arrive one at a time, but, while a chain of nodes streams, from the executor's threads: hand work to your own
 * thread (e.g. the UI's) rather than assume the caller's.
 */
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

    /** Records in and out of a running node so far; reported every fraction of a second while it runs. */
    default void onStageCounts(String nodeId, long in, long out) {
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

    /** A chain of nodes finished streaming (after their {@link #onStageFinish}): its bound and how it was used. */
    default void onStreamFinished(StreamReport report) {
    }
}
