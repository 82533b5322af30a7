package org.r1wb.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job end to end, as {@code ./r1wb demo} runs it but with a small step count: pipeline, training
 * in a child JVM, evaluation into SQLite; then again, served from the caches.
 */
class DemoEndToEndTest {

    private static final int STEPS = 30;
    private static final Pattern LOSS = Pattern.compile("loss\\s+([0-9.]+) at the first step -> ([0-9.]+) at the end");

    @Test
    void demoTrainsInAChildProcessLowersTheLossAndServesTheSecondEvaluationFromTheCache(@TempDir Path dir)
            throws IOException {
        String first = demo(dir);

        assertThat(first).contains("pipeline    data/").contains("(built now)")
                .contains("(trained now)").contains("computed now and stored in r1wb.db");
        Matcher loss = LOSS.matcher(first);
        assertThat(loss.find()).as(first).isTrue();
        double initial = Double.parseDouble(loss.group(1));
        double last = Double.parseDouble(loss.group(2));
        assertThat(initial).as("initial loss ≈ ln(512) for an untrained model").isBetween(5.5, 7.0);
        assertThat(last).as("the loss falls clearly").isLessThan(initial - 1.0);
        assertThat(first).contains("arithmetic-em").contains("exact_match").contains("heldout-perplexity");

        List<RunFolder> runs = RunFolder.list(dir);
        assertThat(runs).hasSize(1);
        RunFolder run = runs.get(0);
        assertThat(run.state()).isEqualTo("finished");
        long trainerPid = Long.parseLong(Files.readString(run.dir().resolve(RunFolder.PID)).strip());
        assertThat(trainerPid).as("training ran in a child process").isNotEqualTo(ProcessHandle.current().pid());
        List<RunEvent> events = EventJournal.read(run.events());
        assertThat(events).extracting(RunEvent::seq).containsExactlyElementsOf(
                LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events.stream().filter(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss"))))
                .hasSize(STEPS);
        assertThat(events).filteredOn(e -> "checkpoint".equals(e.type()))
                .isNotEmpty().allMatch(e -> !Path.of(e.text("path")).isAbsolute(), "checkpoint paths are relative");
        assertThat(events).anyMatch(e -> "routing".equals(e.type()));
        assertThat(events).filteredOn(e -> "eval".equals(e.type())).hasSize(3);
        assertThat(dir.resolve("r1wb.db")).exists();

        String second = demo(dir);

        assertThat(second).contains("(served from the cache)").contains("(reused finished run)")
                .contains("eval cache  served from the cache");
        Matcher again = LOSS.matcher(second);
        assertThat(again.find()).isTrue();
        assertThat(Double.parseDouble(again.group(2))).isEqualTo(last);
        assertThat(EventJournal.read(run.events())).as("a cached evaluation adds no events").hasSize(events.size());
    }

    private static String demo(Path workspace) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute("demo", "-w", workspace.toString(), "--steps", Integer.toString(STEPS),
                "--eval-problems", "5", "--trainer-heap", "1g");
        assertThat(code).as("demo exit code; stderr: " + err + "\nstdout: " + out).isZero();
        return out.toString();
    }
}
