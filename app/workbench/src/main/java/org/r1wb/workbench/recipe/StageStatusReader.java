package org.r1wb.workbench.recipe;

import org.r1wb.model.export.ModelExport;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeRunner;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.recipe.StageKind;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.workbench.run.JournalBatch;
import org.r1wb.workbench.run.JournalReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads where each stage of a recipe stands from its runs folder ({@code <runs>/<stage>/checkpoints}, a quantize
 * stage's export) and the recipe's journal ({@code <runs>/events.jsonl}, which the agent's {@code recipe run} writes):
 * the runner's closing {@code log} event of a stage says whether it finished, and the {@code metric} steps of the
 * running stage (each event names its stage; in a journal written before events did, the steps since the last stage
 * began) give its step. It reads files, so call it off the FX thread; the journal is read
 * incrementally, so calling it every second costs the new lines only.
 */
public final class StageStatusReader {

    private static final String CHECKPOINTS = "checkpoints";
    private static final String EXPORT = "export";

    private final Path runs;
    private final JournalReader journal;
    private final Map<String, RunEvent> lastStageLog = new HashMap<>();
    private final Map<String, Integer> stageSteps = new HashMap<>();
    /** The step since the last stage began, for journals whose events do not name their stage. */
    private int liveStep;
    /** Whether the journal's events name their stage (written since the field exists). */
    private boolean tagged;

    /** A reader of the stages' runs under {@code runs}. */
    public StageStatusReader(Path runs) {
        this.runs = runs;
        this.journal = new JournalReader(runs.resolve("events.jsonl"));
    }

    /** The runs folder. */
    public Path runs() {
        return runs;
    }

    /** The run folder of stage {@code name}. */
    public Path runDir(String name) {
        return runs.resolve(name);
    }

    /**
     * Every stage's status, by name. {@code agentRunning} says whether an agent is running this recipe now;
     * {@code only} the stage it was asked to run alone ({@code null}: the whole recipe, whose running stage is then the
     * first one not skipped and not finished, as the runner passes over the finished ones).
     */
    public synchronized Map<String, StageStatus> read(Recipe recipe, Path folder, boolean agentRunning, String only)
            throws IOException {
        readJournal();
        Map<String, StageStatus> statuses = new LinkedHashMap<>();
        String running = null;
        for (RecipeStage stage : recipe.stages()) {
            int steps = stage.steps() == null ? 0 : stage.steps();
            boolean finished = finished(stage, folder);
            if (agentRunning && running == null && !stage.skipped()
                    && (only == null ? !finished : only.equals(stage.name()))) {
                running = stage.name();
                statuses.put(stage.name(), new StageStatus(StageStatus.State.RUNNING,
                        Math.max(liveStep(stage.name()), checkpointStep(stage)), steps, ""));
                continue;
            }
            statuses.put(stage.name(), settled(stage, steps, finished));
        }
        return statuses;
    }

    /** The running stage's latest step in the journal. */
    private int liveStep(String name) {
        return tagged ? stageSteps.getOrDefault(name, 0) : liveStep;
    }

    /** A stage that is not running: finished, stopped half-way, failed, or not run. */
    private StageStatus settled(RecipeStage stage, int steps, boolean finished) throws IOException {
        RunEvent log = lastStageLog.get(stage.name());
        String message = log == null ? "" : String.valueOf(log.text("message"));
        if (finished) {
            return new StageStatus(StageStatus.State.FINISHED, steps, steps, message);
        }
        int step = checkpointStep(stage);
        if (log != null && "warn".equals(log.text("level")) && !message.contains("cancel")) {
            return new StageStatus(StageStatus.State.FAILED, step, steps, message);
        }
        return step > 0 || log != null ? new StageStatus(StageStatus.State.STOPPED, step, steps, message)
                : StageStatus.notRun(steps);
    }

    /** Whether the stage's output is there: its final checkpoint, a quantize stage's export, or a finished log. */
    private boolean finished(RecipeStage stage, Path folder) {
        RunEvent log = lastStageLog.get(stage.name());
        if (log != null && "info".equals(log.text("level"))) {
            return true;
        }
        Optional<StageKind> kind = StageKind.of(stage.kind());
        if (kind.isEmpty()) {
            return false;
        }
        if (kind.get() == StageKind.QUANTIZE) {
            Path out = stage.params().get("out") instanceof String file ? folder.resolve(file)
                    : runDir(stage.name()).resolve(EXPORT);
            return Files.isRegularFile(out.resolve(ModelExport.CONFIG));
        }
        return kind.get().trains() && Files.isDirectory(runDir(stage.name()).resolve(CHECKPOINTS)
                .resolve(Checkpoints.FINAL));
    }

    /** The step of the stage's latest checkpoint, 0 when it has none. */
    private int checkpointStep(RecipeStage stage) throws IOException {
        Path checkpoints = runDir(stage.name()).resolve(CHECKPOINTS);
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        Optional<Path> latest = Checkpoints.latest(checkpoints);
        return latest.isPresent() ? Checkpoints.readMeta(latest.get()).step() : 0;
    }

    private void readJournal() throws IOException {
        JournalBatch batch = journal.readNew();
        for (RunEvent event : batch.events()) {
            tagged |= !"log".equals(event.type()) && event.text(RecipeRunner.STAGE_FIELD) != null;
            switch (event.type()) {
                case "log" -> {
                    // the runner's closing log of a stage carries its outcome; before events named their stage,
                    // it was the only log that named one
                    String stage = event.text(RecipeRunner.STAGE_FIELD);
                    if (stage != null && (event.text("outcome") != null || !tagged)) {
                        lastStageLog.put(stage, event);
                        liveStep = 0;
                    }
                }
                case "status" -> {
                    if ("running".equals(event.text("state"))) {
                        liveStep = 0;
                        if (event.text(RecipeRunner.STAGE_FIELD) != null) {
                            stageSteps.put(event.text(RecipeRunner.STAGE_FIELD), 0);
                        }
                    }
                }
                case "metric" -> {
                    double step = event.number("step");
                    String stage = event.text(RecipeRunner.STAGE_FIELD);
                    if (!Double.isNaN(step)) {
                        liveStep = Math.max(liveStep, (int) step);
                        if (stage != null) {
                            stageSteps.merge(stage, (int) step, Math::max);
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (batch.problem() != null) {
            throw new IOException(batch.problem());
        }
    }
}
