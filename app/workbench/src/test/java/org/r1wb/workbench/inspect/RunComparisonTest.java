package org.r1wb.workbench.inspect;

import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.chart.MetricChart;
import org.r1wb.views.chart.MetricChartSkin;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.dashboard.DashboardPanel;
import org.r1wb.views.dashboard.RunDashboardSkin;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.r1wb.workbench.run.JournalReader;
import org.r1wb.workbench.run.JournalTail;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runs in one dashboard: run A replayed live from its journal, run B picked from the dashboard's "Compare runs"
 * menu and read from its own journal. Every chart then holds both runs' series, each exactly its journal's points,
 * named after its run in the legend and the hover read-out.
 */
@ExtendWith(ApplicationExtension.class)
class RunComparisonTest {

    @TempDir
    static Path workspace;

    private final InspectionModel model = new InspectionModel();
    private RunComparison comparison;
    private InspectorView view;

    @Start
    void start(Stage stage) throws IOException {
        Theme.LIGHT.apply();
        comparison = new RunComparison(workspace.resolve("runs/run-a"), Duration.ofMillis(20));
        view = new InspectorView(model, comparison, null);
        Scene scene = new Scene(view, 1400, 860);
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() {
        Platform.runLater(comparison::close);
    }

    @Test
    void twoRunsOverlaidEachHoldExactlyItsJournal(FxRobot robot) throws Exception {
        List<String> linesA = ProbeEvents.journalWithProbe();
        List<String> linesB = otherRun(linesA);
        Path journalA = workspace.resolve("runs/run-a/events.jsonl");
        Path journalB = workspace.resolve("runs/run-b/events.jsonl");
        Files.createDirectories(journalB.getParent());
        Files.write(journalB, linesB);
        Files.createDirectories(journalA.getParent());
        Files.createFile(journalA);

        // run A arrives live, in bursts; run B is picked from the menu while A streams in
        try (InspectionFeed feed = new InspectionFeed(model, Platform::runLater);
             JournalTail tail = JournalTail.start(new JournalReader(journalA), Duration.ofMillis(5), Runnable::run,
                     batch -> feed.offer(batch.events()))) {
            for (int i = 0; i < linesA.size(); i += 40) {
                Files.write(journalA, linesA.subList(i, Math.min(linesA.size(), i + 40)), java.nio.file.StandardOpenOption.APPEND);
                if (i == 200) {
                    assertThat(comparison.candidates()).containsExactly(journalB.getParent());
                    robot.clickOn("Compare runs").clickOn("run-b");
                }
                Thread.sleep(3);
            }
            Screens.waitFor(20, () -> model.lastSeq() == linesA.size());
            assertThat(tail.awaitStop(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(comparison.runs()).hasSize(1);
        List<RunEvent> eventsB = linesB.stream().map(EventJournal::parse).toList();
        Screens.waitFor(20, () -> comparison.runs().get(0).data().loss().size() == count(eventsB, "loss"));
        WaitForAsyncUtils.waitForFxEvents();

        List<RunEvent> eventsA = EventJournal.read(journalA);
        RunDashboardSkin skin = (RunDashboardSkin) view.dashboard().getSkin();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("loss", "loss");
        fields.put("val_loss", "val_loss");
        fields.put("lr", "lr");
        fields.put("grad_norm", "grad_norm");
        fields.put("tokens_per_s", "tokens_per_s");
        fields.put("aux_loss", "aux_loss");
        for (DashboardPanel panel : DashboardPanel.values()) {
            for (MetricSeries shown : skin.chart(panel).getSeries()) {
                String[] runAndSeries = shown.name().split(" · ");
                assertThat(runAndSeries).as(shown.name()).hasSize(2);
                List<RunEvent> journal = runAndSeries[0].equals("run-a") ? eventsA : eventsB;
                assertThat(runAndSeries[0]).isIn("run-a", "run-b");
                if (runAndSeries[1].startsWith("entropy L")) {
                    int layer = Integer.parseInt(runAndSeries[1].substring("entropy L".length()));
                    assertPoints(shown, journal.stream().filter(e -> e.number("layer") == layer).toList(), "routing", "entropy");
                } else {
                    assertPoints(shown, journal, "metric", fields.get(runAndSeries[1]));
                }
            }
        }
        MetricChart lossChart = skin.chart(DashboardPanel.LOSS);
        assertThat(lossChart.getSeries()).extracting(MetricSeries::name)
                .containsExactly("run-a · loss", "run-a · val_loss", "run-b · loss", "run-b · val_loss");
        MetricChartSkin chartSkin = (MetricChartSkin) lossChart.getSkin();
        assertThat(chartSkin.colour(lossChart.getSeries().get(0))).isNotEqualTo(chartSkin.colour(lossChart.getSeries().get(2)));
        assertThat(skin.chart(DashboardPanel.ROUTER_ENTROPY).getSeries()).extracting(MetricSeries::name)
                .contains("run-a · entropy L1", "run-b · entropy L1");

        // the read-out at step 100 names each run with its own value there
        Point2D at = chartSkin.canvas().localToScreen(chartSkin.toCanvas(100, chartSkin.yRange().min() + chartSkin.yRange().span() / 2));
        robot.moveTo(at);
        WaitForAsyncUtils.waitForFxEvents();
        String readout = chartSkin.readoutText();
        assertThat(readout).contains("run-a · loss  " + readout(lossAt(eventsA, 100)))
                .contains("run-b · loss  " + readout(lossAt(eventsB, 100)));

        Screens.shoot(robot, lossChart.getScene(), "dashboard-compare.png");

        // unticked: only run A again, under its plain names
        robot.interact(() -> comparison.remove(journalB.getParent()));
        assertThat(lossChart.getSeries()).extracting(MetricSeries::name).containsExactly("loss", "val_loss");
    }

    /** Run B: every third training metric event dropped, losses 10% higher; validation and routing as recorded. */
    private static List<String> otherRun(List<String> lines) {
        List<String> out = new ArrayList<>();
        long seq = 0;
        int metric = 0;
        for (String line : lines) {
            RunEvent e = EventJournal.parse(line);
            Map<String, Object> fields = new LinkedHashMap<>(e.fields());
            if ("metric".equals(e.type())) {
                if (metric++ % 3 == 2 && !fields.containsKey("val_loss")) {
                    continue;
                }
                fields.computeIfPresent("loss", (k, v) -> ((Number) v).doubleValue() * 1.1);
                fields.computeIfPresent("val_loss", (k, v) -> ((Number) v).doubleValue() * 1.1);
            }
            out.add(EventJournal.toJson(new RunEvent(1, ++seq, "run-b", e.t(), e.type(), fields)));
        }
        return out;
    }

    private static void assertPoints(MetricSeries shown, List<RunEvent> events, String type, String field) {
        List<double[]> expected = new ArrayList<>();
        for (RunEvent e : events) {
            if (type.equals(e.type()) && !Double.isNaN(e.number(field))) {
                expected.add(new double[] {e.number("step"), e.number(field)});
            }
        }
        assertThat(expected).as(shown.name()).isNotEmpty();
        assertThat(shown.size()).as(shown.name()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(shown.x(i)).as(shown.name() + " x " + i).isEqualTo(expected.get(i)[0]);
            assertThat(shown.y(i)).as(shown.name() + " y " + i).isEqualTo(expected.get(i)[1]);
        }
    }

    private static int count(List<RunEvent> events, String field) {
        return (int) events.stream().filter(e -> "metric".equals(e.type()) && !Double.isNaN(e.number(field))).count();
    }

    /** The loss at {@code step}, or at the nearest step before it that has one (run B lacks every third step). */
    private static double lossAt(List<RunEvent> events, int step) {
        double value = Double.NaN;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (RunEvent e : events) {
            if ("metric".equals(e.type()) && !Double.isNaN(e.number("loss")) && Math.abs(e.number("step") - step) < bestDistance) {
                bestDistance = Math.abs(e.number("step") - step);
                value = e.number("loss");
            }
        }
        return value;
    }

    /** Five significant digits, as the read-out writes a value. */
    private static String readout(double value) {
        String s = String.format(java.util.Locale.ROOT, "%.5g", value);
        return s.contains("e") ? s.replaceFirst("\\.?0+e", "e") : s.replaceFirst("\\.?0+$", "");
    }
}
