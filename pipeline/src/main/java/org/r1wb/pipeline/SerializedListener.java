package org.r1wb.pipeline;

import org.r1wb.pipeline.stage.StageStats;

/** Passes every call on to a listener one at a time, whichever executor thread makes it. */
final class SerializedListener implements PipelineListener {

    private final PipelineListener target;

    SerializedListener(PipelineListener target) {
        this.target = target;
    }

    @Override
    public synchronized void onStageStart(String nodeId, String stageId, int index, int total) {
        target.onStageStart(nodeId, stageId, index, total);
    }

    @Override
    public synchronized void onStageProgress(String nodeId, double fraction, String message) {
        target.onStageProgress(nodeId, fraction, message);
    }

    @Override
    public synchronized void onStageCounts(String nodeId, long in, long out) {
        target.onStageCounts(nodeId, in, out);
    }

    @Override
    public synchronized void onStageWarning(String nodeId, String message) {
        target.onStageWarning(nodeId, message);
    }

    @Override
    public synchronized void onStageCached(StageStats stats, int index, int total) {
        target.onStageCached(stats, index, total);
    }

    @Override
    public synchronized void onStageFinish(StageStats stats) {
        target.onStageFinish(stats);
    }

    @Override
    public synchronized void onStreamFinished(StreamReport report) {
        target.onStreamFinished(report);
    }
}
