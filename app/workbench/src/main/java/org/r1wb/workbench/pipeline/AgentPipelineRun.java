package org.r1wb.workbench.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.StageStats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a pipeline file in a child agent ({@code r1wb pipeline run}), for pipelines with plugin stages: plugin code
 * runs only in the agent, never in the workbench. The agent's lines go to {@code log} on the FX thread; when it
 * ends, the statistics are read from the output folder it names, so the badges show what a run in the workbench
 * would (at the end rather than node by node).
 */
public final class AgentPipelineRun extends Task<PipelineRun.Outcome> {

    private static final String WROTE = "wrote ";
    private static final String CACHED = "served from the cache: ";

    private final Path workspace;
    private final Path file;
    private final LocalRunLauncher launcher;
    private final Consumer<String> log;
    private volatile Process process;

    public AgentPipelineRun(Path workspace, Path file, LocalRunLauncher launcher, Consumer<String> log) {
        this.workspace = workspace;
        this.file = file;
        this.launcher = launcher;
        this.log = log;
    }

    @Override
    protected PipelineRun.Outcome call() throws Exception {
        updateMessage("Running " + file.getFileName() + " in the agent");
        ProcessBuilder builder = new ProcessBuilder(launcher.command(List.of("pipeline", "run", "--progress", "LINES",
                "-w", workspace.toString(), file.toString())));
        builder.redirectErrorStream(true);
        process = builder.start();
        Path outputDir = null;
        boolean cached = false;
        String lastLine = "";
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String shown = line;
                Platform.runLater(() -> log.accept("agent: " + shown));
                lastLine = line;
                if (line.startsWith(WROTE) || line.startsWith(CACHED)) {
                    cached = line.startsWith(CACHED);
                    outputDir = Path.of(line.substring(cached ? CACHED.length() : WROTE.length()).strip());
                }
            }
        }
        int exit = process.waitFor();
        if (isCancelled()) {
            return null;
        }
        if (exit != 0 || outputDir == null) {
            throw new IOException("the agent's pipeline run ended with exit code " + exit + ": " + lastLine);
        }
        List<StageStats> stats = Json.mapper().readValue(
                Files.readString(outputDir.resolve(PipelineRunner.STATS_FILE)), new TypeReference<List<StageStats>>() { });
        List<DroppedDocument> dropped = new ArrayList<>();
        for (StageStats s : stats) {
            dropped.addAll(DroppedDocument.of(s, workspace));
        }
        updateProgress(1, 1);
        return new PipelineRun.Outcome(new PipelineResult(outputDir, outputDir.getFileName().toString(), cached, stats),
                dropped);
    }

    @Override
    protected void cancelled() {
        Process running = process;
        if (running != null) {
            running.destroy();
        }
    }
}
