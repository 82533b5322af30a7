package org.r1wb.workbench.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.train.OptimizerSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stage statuses from a recipe's journal and run folders: the runner's closing log of a stage says finished or failed
 * (a cancelled stage is stopped), the running stage's step is its own latest metric step (in journals whose events do
 * not name their stage, the steps since a stage began), and the running stage of a whole-recipe run is the first one
 * not skipped and not finished.
 */
class StageStatusReaderTest {

    @TempDir
    Path dir;

    private static RecipeStage stage(String kind, String name, int steps, Boolean skip) {
        return new RecipeStage(kind, name, null, "data", steps, 4, 16,
                new OptimizerSpec(1e-3, 1e-4, 0, 0, 0, 0, 1), skip, Map.of());
    }

    private final Recipe recipe = new Recipe("r", "m.model.json", 1, List.of(stage("pretrain", "base", 10, null),
            stage("sft", "tune", 20, null), stage("sft", "extra", 5, true), stage("dpo", "prefs", 8, null)));

    @SafeVarargs
    private void journal(Map<String, Object>... events) throws IOException {
        Files.createDirectories(dir);
        try (EventJournal journal = EventJournal.openForAppend(dir.resolve("events.jsonl"), "r")) {
            for (Map<String, Object> event : events) {
                Map<String, Object> fields = new LinkedHashMap<>(event);
                String type = (String) fields.remove("type");
                journal.emit(type, fields);
            }
        }
    }

    private static Map<String, Object> log(String stage, String level, String message) {
        return Map.of("type", "log", "stage", stage, "level", level, "message", message);
    }

    private static Map<String, Object> metric(int step) {
        return Map.of("type", "metric", "step", step, "loss", 2.0);
    }

    private static Map<String, Object> running() {
        return Map.of("type", "status", "state", "running", "message", "training");
    }

    @Test
    void aWholeRunsRunningStageIsTheFirstNotFinishedAndShowsTheStepsSinceItBegan() throws IOException {
        journal(running(), metric(1), metric(10), log("base", "info", "base: finished"), running(), metric(1),
                metric(7));
        StageStatusReader reader = new StageStatusReader(dir);

        Map<String, StageStatus> live = reader.read(recipe, dir, true, null);
        assertThat(live.get("base")).isEqualTo(new StageStatus(StageStatus.State.FINISHED, 10, 10, "base: finished"));
        assertThat(live.get("tune").state()).isEqualTo(StageStatus.State.RUNNING);
        assertThat(live.get("tune").step()).isEqualTo(7);
        assertThat(live.get("tune").line()).isEqualTo("running · 7 / 20");
        assertThat(live.get("extra").state()).isEqualTo(StageStatus.State.NOT_RUN);
        assertThat(live.get("prefs").state()).isEqualTo(StageStatus.State.NOT_RUN);

        // the same reader reads on where it stopped: the stage fails, and with no agent nothing is running
        journal(metric(9), log("tune", "warn", "tune: failed: out of memory"));
        Map<String, StageStatus> after = reader.read(recipe, dir, false, null);
        assertThat(after.get("tune")).isEqualTo(new StageStatus(StageStatus.State.FAILED, 0, 20,
                "tune: failed: out of memory"));
        assertThat(after.get("tune").line()).isEqualTo("failed");
    }

    @Test
    void aStageRunAloneIsTheRunningOneAndACancelledStageIsStoppedAtItsCheckpoint() throws IOException {
        journal(log("prefs", "warn", "prefs: cancelled at step 3 of 8"));
        Files.createDirectories(dir.resolve("base/checkpoints/final"));
        StageStatusReader reader = new StageStatusReader(dir);

        Map<String, StageStatus> alone = reader.read(recipe, dir, true, "prefs");
        assertThat(alone.get("prefs").state()).isEqualTo(StageStatus.State.RUNNING);
        assertThat(alone.get("base").state()).as("its final checkpoint is there").isEqualTo(StageStatus.State.FINISHED);
        assertThat(alone.get("tune").state()).as("not selected, not run").isEqualTo(StageStatus.State.NOT_RUN);

        Map<String, StageStatus> settled = reader.read(recipe, dir, false, null);
        assertThat(settled.get("prefs").state()).isEqualTo(StageStatus.State.STOPPED);
        assertThat(settled.get("prefs").message()).contains("cancelled");
    }

    @Test
    void inAJournalWhoseEventsNameTheirStageOnlyTheClosingLogSettlesAStage() throws IOException {
        journal(Map.of("type", "status", "stage", "base", "state", "running", "message", "training"),
                Map.of("type", "metric", "stage", "base", "step", 10, "loss", 2.0),
                Map.of("type", "log", "stage", "base", "level", "info", "outcome", "finished", "message", "base: done"),
                Map.of("type", "status", "stage", "tune", "state", "running", "message", "training"),
                Map.of("type", "log", "stage", "tune", "level", "info", "message", "reference log-probs read"),
                Map.of("type", "metric", "stage", "tune", "step", 4, "loss", 2.0),
                Map.of("type", "metric", "stage", "base", "step", 12, "val_loss", 2.0));
        Map<String, StageStatus> live = new StageStatusReader(dir).read(recipe, dir, true, null);

        assertThat(live.get("base")).isEqualTo(new StageStatus(StageStatus.State.FINISHED, 10, 10, "base: done"));
        assertThat(live.get("tune").state()).as("a stage's own info log does not finish it")
                .isEqualTo(StageStatus.State.RUNNING);
        assertThat(live.get("tune").step()).as("its own steps, not another stage's").isEqualTo(4);
    }
}
