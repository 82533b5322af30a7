package org.r1wb.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.resources.SampleWorkspace;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's cheap paths: argument handling, bad input, and the run-folder commands. No training here. */
class CliTest {

    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void modelCheckPrintsEstimatesForTheSampleAndEveryProblemForABadSpec(@TempDir Path dir) throws IOException {
        SampleWorkspace.create(dir);

        assertThat(run("model", "check", "--json", dir.resolve(SampleWorkspace.MODEL).toString())).isZero();
        JsonNode ok = new ObjectMapper().readTree(out.toString());
        assertThat(ok.get("valid").asBoolean()).isTrue();
        assertThat(ok.get("activeParams").asLong()).isLessThan(ok.get("totalParams").asLong()).isPositive();

        String broken = Files.readString(dir.resolve(SampleWorkspace.MODEL))
                .replace("\"topK\": 2", "\"topK\": 9").replace("\"heads\": 4", "\"heads\": 0");
        Path bad = Files.writeString(dir.resolve("models/bad.model.json"), broken);
        out.getBuffer().setLength(0);

        assertThat(run("model", "check", "--json", bad.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("errors").findValuesAsText("path")).contains("moe.topK", "heads");
        assertThat(report.get("errors").findValuesAsText("fix")).allMatch(fix -> !fix.isBlank());
    }

    @Test
    void pipelineValidateAndRunReportBadInputWithoutAStackTrace(@TempDir Path dir) throws IOException {
        SampleWorkspace.create(dir);
        assertThat(run("pipeline", "validate", "-w", dir.toString(), SampleWorkspace.PIPELINE)).isZero();

        Path bad = Files.writeString(dir.resolve("pipelines/bad.pipeline.json"), Files.readString(
                dir.resolve(SampleWorkspace.PIPELINE)).replace("\"vocabSize\": 512", "\"vocabSize\": -3")
                .replace("\"stage\": \"normalize\"", "\"stage\": \"no.such.stage\""));

        assertThat(run("pipeline", "validate", "-w", dir.toString(), bad.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("2 problem(s)").contains("vocabSize").contains("no.such.stage")
                .doesNotContain("Exception");
        assertThat(run("pipeline", "run", "-w", dir.toString(), "pipelines/missing.pipeline.json"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("missing.pipeline.json");
    }

    @Test
    void runsStatusAttachAndCancelReadTheRunFolder(@TempDir Path dir) throws IOException {
        RunFolder run = RunFolder.of(dir, "r-1");
        Files.createDirectories(run.dir());
        Files.writeString(run.spec(), "{}");
        try (EventJournal journal = EventJournal.openForAppend(run.events(), "r-1")) {
            journal.emit("status", Map.of("state", "running"));
            journal.emit("metric", Map.of("step", 1, "loss", 6.0));
            journal.emit("metric", Map.of("step", 2, "loss", 5.5));
        }

        try (RunLock agent = RunLock.tryAcquire(run).orElseThrow()) {
            assertThat(run("runs", "-w", dir.toString())).isZero();
            assertThat(out.toString()).contains("r-1").contains("running").contains("5.5000");
            out.getBuffer().setLength(0);
            assertThat(run("attach", "-w", dir.toString(), "r-1", "--after", "1", "--no-follow")).isZero();
            assertThat(out.toString().strip().lines().map(EventJournal::parse).map(e -> e.seq())).containsExactly(2L, 3L);
            out.getBuffer().setLength(0);
            assertThat(run("status", "-w", dir.toString(), "r-1")).isZero();
            assertThat(out.toString()).contains("r-1: running");
            assertThat(run("cancel", "-w", dir.toString(), "r-1")).isZero();
            assertThat(run.dir().resolve(TrainCommand.CANCEL_FILE)).exists();
        }

        out.getBuffer().setLength(0);
        assertThat(run("attach", "-w", dir.toString(), "r-1", "--after", "1")).as("the agent is gone: attach ends").isZero();
        List<RunEvent> tail = out.toString().strip().lines().map(EventJournal::parse).toList();
        assertThat(tail).extracting(RunEvent::seq).containsExactly(2L, 3L, 4L);
        assertThat(tail.get(2).text("state")).isEqualTo("failed");
        out.getBuffer().setLength(0);
        assertThat(run("runs", "-w", dir.toString())).isZero();
        assertThat(out.toString()).contains("r-1").contains("failed").contains("5.5000");
        assertThat(run("status", "-w", dir.toString(), "nope")).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
