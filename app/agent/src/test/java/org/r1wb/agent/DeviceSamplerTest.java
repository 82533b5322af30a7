package org.r1wb.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.run.RunEvent;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** GPU status sampled into the run's own journal while it goes, and never after its final status. */
class DeviceSamplerTest {

    @Test
    void samplesAtStartThenPeriodicallyAndStopsBeforeTheFinalStatus() throws Exception {
        List<Map.Entry<String, Map<String, ?>>> written = Collections.synchronizedList(new ArrayList<>());
        EventSink journal = (type, fields) -> written.add(Map.entry(type, fields));
        AtomicInteger probes = new AtomicInteger();
        DeviceSampler sampler = new DeviceSampler(journal, Duration.ofMillis(20),
                () -> List.of(Map.of("state", "ok", "util", probes.incrementAndGet())));
        assertThat(written).as("the first sample is taken at once").singleElement()
                .satisfies(e -> assertThat(e.getValue().get("util")).isEqualTo(1));

        TinyRuns.await("three periodic samples", Duration.ofSeconds(30), () -> written.size() >= 4);
        sampler.sink().emit("metric", Map.of("step", 1));
        sampler.sink().emit("status", Map.of("state", "finished"));
        int probedAtEnd = probes.get();
        sampler.close();

        List<Map.Entry<String, Map<String, ?>>> events = List.copyOf(written);
        assertThat(events.get(events.size() - 1).getKey()).as("the final status is the last event").isEqualTo("status");
        assertThat(events).extracting(Map.Entry::getKey).contains("metric");
        assertThat(events).filteredOn(e -> e.getKey().equals("device")).extracting(e -> (Integer) e.getValue().get("util"))
                .as("one event per sample, in order, none after the end").isSorted().doesNotHaveDuplicates()
                .allMatch(util -> util <= probedAtEnd);
    }

    @Test
    void aNodeWithoutGpuReportsTheProcesssCoresAndResidentMemory() throws Exception {
        List<Map.Entry<String, Map<String, ?>>> written = new ArrayList<>();
        try (DeviceSampler sampler = new DeviceSampler((type, fields) -> written.add(Map.entry(type, fields)), Duration.ZERO,
                () -> List.of(Map.of("state", "no-gpu", "reason", "no nvidia-smi on the node's PATH")))) {
            assertThat(written).as("the first sample is taken at once").hasSize(1);
        }
        Map<String, Object> cpu = new java.util.LinkedHashMap<>(written.get(0).getValue());
        assertThat(cpu).containsEntry("state", "no-gpu").containsEntry("cores", Runtime.getRuntime().availableProcessors());
        // a JVM that ran this test holds at least its heap in use: tens of MiB, far below the machine's memory
        double usedMib = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0;
        assertThat((Double) cpu.get("rss_mib")).isGreaterThan(usedMib).isLessThan(1 << 20);
        assertThat(DeviceSampler.withProcess(Map.of("state", "ok", "util", 5.0))).doesNotContainKeys("cores", "rss_mib");
    }

    @Test
    void aNegativePeriodIsRefusedBeforeTheRunStarts(@TempDir Path ws) throws Exception {
        RunFolder run = TinyRuns.create(ws, "r-bad-period", 5, 0);
        StringWriter err = new StringWriter();
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(new StringWriter(), true));
        line.setErr(new PrintWriter(err, true));

        int exit = line.execute("train", "--run-dir", run.dir().toString(), "--device-every", "-1");

        assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--device-every -1.0").contains("seconds >= 0");
        assertThat(run.events()).doesNotExist();
    }

    @Test
    void aTrainerWritesParsedNvidiaSmiSamplesIntoItsJournalWhileItRuns(@TempDir Path ws) throws Exception {
        Path bin = FakeNvidiaSmi.install(ws.resolve("fake-gpu"));
        RunFolder run = TinyRuns.create(ws, "r-gpu", 40, 0);
        ProcessBuilder trainer = new ProcessBuilder(new LocalRunLauncher(List.of("-Xmx256m"))
                .command(List.of("train", "--run-dir", run.dir().toString(), "--device-every", "0.2")))
                .redirectErrorStream(true).redirectOutput(ws.resolve("train.log").toFile());
        trainer.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Process process = trainer.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the trainer ends").isTrue();
        assertThat(process.exitValue()).as(Files.readString(ws.resolve("train.log"))).isZero();

        List<RunEvent> events = EventJournal.read(run.events());
        assertThat(events).extracting(RunEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        List<RunEvent> devices = events.stream().filter(e -> "device".equals(e.type())).toList();
        assertThat(devices).as("a sample at start and at least one while training").hasSizeGreaterThanOrEqualTo(2);
        for (RunEvent device : devices) {
            assertThat(device.text("state")).isEqualTo("ok");
            assertThat(device.text("name")).isEqualTo("Fake GPU");
            assertThat(device.number("index")).isEqualTo(0);
            assertThat(device.number("mem_total_mib")).isEqualTo(81559);
            assertThat(device.number("mem_used_mib")).isEqualTo(2048);
            assertThat(device.number("temp_c")).isEqualTo(41);
            assertThat(device.number("power_w")).isEqualTo(99.5);
        }
        // the fake reports its call count as the utilisation: every sample is a fresh query, in order
        assertThat(devices).extracting(d -> d.number("util")).isSorted().doesNotHaveDuplicates();
        assertThat(devices.get(devices.size() - 1).seq()).as("a sample after training began")
                .isGreaterThan(events.stream().filter(e -> "metric".equals(e.type())).findFirst().orElseThrow().seq());
        RunEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo("status");
        assertThat(last.text("state")).isEqualTo("finished");
    }
}
