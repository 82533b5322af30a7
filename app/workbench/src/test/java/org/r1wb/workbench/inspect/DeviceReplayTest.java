package org.r1wb.workbench.inspect;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.chart.DecimatedLine;
import org.r1wb.views.chart.MetricChartSkin;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.device.DeviceHistory;
import org.r1wb.views.device.DeviceViewSkin;
import org.r1wb.workbench.BackgroundTasks;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.r1wb.workbench.run.RunMonitor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run tab's device charts, fed the way a live run (local, or remote and mirrored) feeds them: a running run's
 * journal grows with periodic {@code device} events, the tab's {@link RunMonitor} follows it, and the Devices tab
 * plots each GPU's utilisation, memory, temperature and power at the journal's values and times.
 */
@ExtendWith(ApplicationExtension.class)
class DeviceReplayTest {

    private static final long T0 = 1_796_131_355_000L;

    @TempDir
    static Path workspace;

    private final BackgroundTasks tasks = new BackgroundTasks();
    private RunMonitor monitor;
    private InspectorView view;

    @Start
    void start(Stage stage) throws Exception {
        Theme.LIGHT.apply();
        Path run = workspace.resolve("runs/gpu-run");
        Files.createDirectories(run);
        Files.write(run.resolve("events.jsonl"), List.of(line(1, T0, "status", Map.of("state", "running"))));
        monitor = new RunMonitor(run);
        view = new InspectorView(monitor.inspection());
        Scene scene = new Scene(view, 1200, 800);
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        stage.setScene(scene);
        stage.show();
        monitor.start(tasks);
    }

    @AfterEach
    void stop() {
        monitor.close();
        tasks.close();
    }

    @Test
    void gpuTelemetryOfALiveRunIsPlottedAtTheJournalsValues(FxRobot robot) throws Exception {
        Screens.waitFor(10, monitor::isTailing);
        Path journal = workspace.resolve("runs/gpu-run/events.jsonl");
        List<String> lines = new ArrayList<>();
        long seq = 1;
        for (int sample = 0; sample < 12; sample++) {
            long t = T0 + sample * 10_000L;
            lines.add(line(++seq, t, "metric", Map.of("step", sample * 10, "loss", 5.0 - 0.1 * sample)));
            for (int gpu = 0; gpu < 2; gpu++) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("state", "ok");
                fields.put("index", gpu);
                fields.put("name", "NVIDIA H200");
                fields.put("mem_total_mib", 143_771);
                fields.put("util", 40.0 + 5 * sample + gpu);
                fields.put("mem_used_mib", 20_480.0 + 512 * sample + 1024 * gpu);
                fields.put("temp_c", 45.0 + sample - gpu);
                fields.put("power_w", 300.0 + 17.5 * sample + 3 * gpu);
                lines.add(line(++seq, t + 5, "device", fields));
            }
        }
        // appended while the tab follows the journal, in three bursts
        for (int burst = 0; burst < 3; burst++) {
            Files.write(journal, lines.subList(burst * lines.size() / 3, (burst + 1) * lines.size() / 3), StandardOpenOption.APPEND);
            Thread.sleep(300);
        }
        long last = seq;
        Screens.waitFor(20, () -> monitor.inspection().lastSeq() == last);
        robot.interact(() -> view.show("Devices"));
        WaitForAsyncUtils.waitForFxEvents();

        List<RunEvent> devices = EventJournal.read(journal).stream().filter(e -> "device".equals(e.type())).toList();
        DeviceViewSkin skin = (DeviceViewSkin) view.deviceView().getSkin();
        assertThat(skin.stateText()).isEqualTo("GPU 0: NVIDIA H200 · GPU 1: NVIDIA H200");
        Map<DeviceHistory.Figure, String> fields = Map.of(DeviceHistory.Figure.UTILISATION, "util",
                DeviceHistory.Figure.MEMORY, "mem_used_mib", DeviceHistory.Figure.TEMPERATURE, "temp_c",
                DeviceHistory.Figure.POWER, "power_w");
        RunEvent last0 = devices.get(devices.size() - 2);
        RunEvent last1 = devices.get(devices.size() - 1);
        assertThat(view.headline().gpuTile().getValue()).isEqualTo((last0.number("util") + last1.number("util")) / 2);
        assertThat(view.headline().gpuTile().getDescription()).isEqualTo("mean of 2 GPUs");
        for (DeviceHistory.Figure figure : DeviceHistory.Figure.values()) {
            MetricChartSkin chart = (MetricChartSkin) skin.chart(figure).getSkin();
            assertThat(skin.chart(figure).getSeries()).extracting(MetricSeries::name).containsExactly("GPU 0", "GPU 1");
            for (int gpu = 0; gpu < 2; gpu++) {
                int index = gpu;
                List<RunEvent> own = devices.stream().filter(e -> e.number("index") == index).toList();
                MetricSeries series = skin.chart(figure).getSeries().get(gpu);
                DecimatedLine drawn = chart.drawn(series);
                assertThat(drawn.pointCount()).as(figure + " GPU " + gpu).isEqualTo(own.size());
                for (int i = 0; i < own.size(); i++) {
                    double value = own.get(i).number(fields.get(figure));
                    double expected = figure == DeviceHistory.Figure.MEMORY ? value / 1024 : value;
                    double minutes = (own.get(i).t() - devices.get(0).t()) / 60_000.0;
                    assertThat(drawn.pointYs()[i]).as(figure + " GPU " + gpu + " sample " + i).isEqualTo(expected);
                    assertThat(drawn.pointXs()[i]).isEqualTo(minutes);
                }
            }
        }
    }

    @Test
    void aCpuOnlyRunShowsItsStateCoresAndResidentMemory(FxRobot robot) throws Exception {
        Screens.waitFor(10, monitor::isTailing);
        Path journal = workspace.resolve("runs/gpu-run/events.jsonl");
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("state", "no-gpu");
        cpu.put("reason", "no nvidia-smi on the node's PATH");
        cpu.put("cores", 2);
        cpu.put("rss_mib", 812.4);
        Map<String, Object> later = new LinkedHashMap<>(cpu);
        later.put("rss_mib", 901.0);
        Files.write(journal, List.of(line(2, T0, "device", cpu), line(3, T0 + 10_000, "device", later)), StandardOpenOption.APPEND);
        Screens.waitFor(20, () -> monitor.inspection().lastSeq() == 3);
        robot.interact(() -> view.show("Devices"));
        WaitForAsyncUtils.waitForFxEvents();

        DeviceViewSkin skin = (DeviceViewSkin) view.deviceView().getSkin();
        assertThat(skin.stateText()).isEqualTo("CPU only — no nvidia-smi on the node's PATH · 2 cores · RSS 901 MiB");
        assertThat(view.headline().gpuTile().getTitle()).isEqualTo("CPU only");
        assertThat(view.headline().gpuTile().getValue()).isEqualTo(2);
        assertThat(view.headline().gpuTile().getDescription()).isEqualTo("RSS 901 MiB");
    }

    private static String line(long seq, long t, String type, Map<String, Object> fields) {
        return EventJournal.toJson(new RunEvent(1, seq, "gpu-run", t, type, fields));
    }
}
