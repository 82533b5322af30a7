package org.r1wb.workbench.pipeline;

import javafx.application.Platform;
import javafx.concurrent.Task;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a saved pipeline file on a worker thread through {@link PipelineRunner}. The engine's events are relayed
 * to {@code fxListener} on the FX thread; the task's own progress and message follow the nodes, so the status
 * bar shows them.
 */
public final class PipelineRun extends Task<PipelineRun.Outcome> {

    /** The runner's result, with the dropped documents the statistics locate. */
    public record Outcome(PipelineResult result, List<DroppedDocument> dropped) {
    }

    private final Path workspace;
    private final Path file;
    private final StageRegistry registry;
    private final PipelineListener fxListener;

    public PipelineRun(Path workspace, Path file, StageRegistry registry, PipelineListener fxListener) {
        this.workspace = workspace;
        this.file = file;
        this.registry = registry;
        this.fxListener = fxListener;
    }

    @Override
    protected Outcome call() throws Exception {
        updateMessage("Running " + file.getFileName());
        PipelineResult result = new PipelineRunner(registry).run(workspace, file, new Relay(), this::isCancelled);
        List<DroppedDocument> dropped = new ArrayList<>();
        for (StageStats stats : result.stats()) {
            dropped.addAll(DroppedDocument.of(stats, workspace));
        }
        updateProgress(1, 1);
        return new Outcome(result, dropped);
    }

    /** Passes the engine's events to the FX thread and mirrors them in the task's progress. */
    private final class Relay implements PipelineListener {
        private volatile int index;
        private volatile int total = 1;

        @Override
        public void onStageStart(String nodeId, String stageId, int i, int n) {
            index = i;
            total = n;
            updateProgress(i, n);
            updateMessage(nodeId + " (" + (i + 1) + "/" + n + ")");
            Platform.runLater(() -> fxListener.onStageStart(nodeId, stageId, i, n));
        }

        @Override
        public void onStageProgress(String nodeId, double fraction, String message) {
            updateProgress(index + fraction, total);
            Platform.runLater(() -> fxListener.onStageProgress(nodeId, fraction, message));
        }

        @Override
        public void onStageWarning(String nodeId, String message) {
            Platform.runLater(() -> fxListener.onStageWarning(nodeId, message));
        }

        @Override
        public void onStageFinish(StageStats stats) {
            Platform.runLater(() -> fxListener.onStageFinish(stats));
        }
    }
}
