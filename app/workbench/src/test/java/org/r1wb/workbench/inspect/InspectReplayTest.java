package org.r1wb.workbench.inspect;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.workbench.Theme;
import org.r1wb.views.attention.AttentionHeadViewSkin;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.routing.HeatColors;
import org.r1wb.views.routing.RoutingLoadHeatmapSkin;
import org.r1wb.views.routing.TokenHeatmapSkin;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.run.JournalReader;
import org.r1wb.workbench.run.JournalTail;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the recorded demo run (plus synthetic probe captures) into the inspector the way a live run
 * reaches it: lines appended to a journal file in bursts, followed by the workbench's journal tail, handed
 * over through the feed. Then checks that every view shows exactly what the journal holds.
 */
@ExtendWith(ApplicationExtension.class)
class InspectReplayTest {

    /** Lines written per burst and the pause between bursts: ~440 events in ~0.2 s, about 500× the recorded pace. */
    private static final int BURST = 10;
    private static final long PAUSE_MS = 4;

    private final InspectionModel model = new InspectionModel();
    private InspectorView view;

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        view = new InspectorView(model);
        Scene scene = new Scene(view, 1200, 800);
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void replayedRunShowsExactlyTheJournal(FxRobot robot, @TempDir Path dir) throws Exception {
        List<String> lines = ProbeEvents.journalWithProbe();
        Path journal = dir.resolve("runs/replay/events.jsonl");
        Files.createDirectories(journal.getParent());
        InspectionFeed feed = new InspectionFeed(model, Platform::runLater);
        long last;
        try (feed; JournalTail tail = JournalTail.start(new JournalReader(journal), Duration.ofMillis(5), Runnable::run,
                batch -> feed.offer(batch.events()));
             BufferedWriter out = Files.newBufferedWriter(journal, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines.size(); i++) {
                out.write(lines.get(i));
                out.write('\n');
                if (i % BURST == BURST - 1) {
                    out.flush();
                    Thread.sleep(PAUSE_MS);
                }
            }
            out.flush();
            last = lines.size();
            Screens.waitFor(20, () -> model.lastSeq() == last);
            assertThat(tail.awaitStop(Duration.ofSeconds(5))).isTrue();
        }
        List<RunEvent> events = EventJournal.read(journal);
        assertThat(model.appliedEvents()).isEqualTo(events.size());
        assertThat(feed.drains()).isLessThan(events.size());

        assertSeries(model.dashboard().loss(), events, "metric", "loss");
        assertSeries(model.dashboard().valLoss(), events, "metric", "val_loss");
        assertSeries(model.dashboard().learningRate(), events, "metric", "lr");
        assertSeries(model.dashboard().gradNorm(), events, "metric", "grad_norm");
        assertSeries(model.dashboard().tokensPerSecond(), events, "metric", "tokens_per_s");
        assertSeries(model.dashboard().auxLoss(), events, "metric", "aux_loss");
        for (int layer = 1; layer <= 3; layer++) {
            int l = layer;
            assertSeries(model.dashboard().entropy(layer), filter(events, e -> e.number("layer") == l), "routing", "entropy");
        }

        // the headline tiles show the last figures
        MetricSeries loss = model.dashboard().loss();
        assertThat(view.headline().stepTile().getValue()).isEqualTo(loss.x(loss.size() - 1));
        assertThat(view.headline().lossTile().getValue()).isEqualTo(loss.y(loss.size() - 1));
        assertThat(view.headline().throughputTile().getValue()).isEqualTo(model.dashboard().tokensPerSecond().lastY());

        checkLoadHeatmap(robot, events);
        checkTokenHeatmap(events);
        checkHeadView(robot, events);
    }

    private void checkLoadHeatmap(FxRobot robot, List<RunEvent> events) {
        robot.interact(() -> {
            view.show("Expert routing");
            view.loadHeatmap().layerProperty().set(1);
        });
        WaitForAsyncUtils.waitForFxEvents();
        RoutingLoadHeatmapSkin skin = (RoutingLoadHeatmapSkin) view.loadHeatmap().getSkin();
        List<RunEvent> layer1 = filter(events, e -> "routing".equals(e.type()) && e.number("layer") == 1);
        assertThat(layer1).hasSize(8);
        assertCells(skin, layer1);
        int[] before = pixels(skin);

        robot.interact(() -> view.loadHeatmap().layerProperty().set(2));
        WaitForAsyncUtils.waitForFxEvents();
        assertCells(skin, filter(events, e -> "routing".equals(e.type()) && e.number("layer") == 2));
        assertThat(pixels(skin)).isNotEqualTo(before);
        // the token heatmap follows the same layer
        assertThat(((TokenHeatmapSkin) view.tokenHeatmap().getSkin()).shown().layer()).isEqualTo(2);
    }

    private static void assertCells(RoutingLoadHeatmapSkin skin, List<RunEvent> layerEvents) {
        double max = 0;
        for (RunEvent e : layerEvents) {
            for (Object v : (List<?>) e.fields().get("load")) {
                max = Math.max(max, ((Number) v).doubleValue());
            }
        }
        assertThat(skin.columns()).isEqualTo(layerEvents.size());
        for (int c = 0; c < layerEvents.size(); c++) {
            List<?> load = (List<?>) layerEvents.get(c).fields().get("load");
            assertThat(skin.columnStep(c)).isEqualTo((long) layerEvents.get(c).number("step"));
            for (int e = 0; e < load.size(); e++) {
                double value = ((Number) load.get(e)).doubleValue();
                assertThat(skin.cellValue(e, c)).isEqualTo(value);
                assertThat(skin.cellArgb(e, c)).isEqualTo(HeatColors.argb(value / max));
            }
        }
    }

    private void checkTokenHeatmap(List<RunEvent> events) {
        TokenHeatmapSkin skin = (TokenHeatmapSkin) view.tokenHeatmap().getSkin();
        RunEvent captured = filter(events, e -> "routing_tokens".equals(e.type()) && e.number("layer") == 2).get(0);
        List<?> rows = (List<?>) captured.fields().get("weights");
        double max = rows.stream().flatMap(r -> ((List<?>) r).stream()).mapToDouble(v -> ((Number) v).doubleValue()).max().orElseThrow();
        for (int t : new int[] {0, 2, 13}) {
            for (int e = 0; e < ProbeEvents.EXPERTS; e++) {
                double w = ((Number) ((List<?>) rows.get(t)).get(e)).doubleValue();
                assertThat(skin.cellArgb(t, e)).isEqualTo(HeatColors.argb(w / max));
            }
        }
        assertThat(skin.shown().tokens()).isEqualTo(ProbeEvents.TOKENS);
    }

    private void checkHeadView(FxRobot robot, List<RunEvent> events) {
        robot.interact(() -> {
            view.show("Attention");
            view.headView().layerProperty().set(2);
        });
        WaitForAsyncUtils.waitForFxEvents();
        AttentionHeadViewSkin skin = (AttentionHeadViewSkin) view.headView().getSkin();
        List<AttentionHeadViewSkin.DrawnLine> lines = skin.drawnLines();
        assertThat(lines).isNotEmpty();
        for (RunEvent captured : filter(events, e -> "attention".equals(e.type()) && e.number("layer") == 2)) {
            int head = (int) captured.number("head");
            List<?> rows = (List<?>) captured.fields().get("weights");
            for (int[] cell : new int[][] {{0, 0}, {5, 4}, {11, 3}, {13, 6}}) {
                double w = ((Number) ((List<?>) rows.get(cell[0])).get(cell[1])).doubleValue();
                List<AttentionHeadViewSkin.DrawnLine> match = lines.stream()
                        .filter(l -> l.head() == head && l.query() == cell[0] && l.key() == cell[1]).toList();
                if (w >= 0.01) {
                    assertThat(match).singleElement().extracting(AttentionHeadViewSkin.DrawnLine::opacity).isEqualTo(w);
                } else {
                    assertThat(match).isEmpty();
                }
            }
        }
    }

    private static void assertSeries(MetricSeries series, List<RunEvent> events, String type, String field) {
        List<double[]> expected = new ArrayList<>();
        for (RunEvent e : events) {
            if (type.equals(e.type()) && !Double.isNaN(e.number(field))) {
                expected.add(new double[] {e.number("step"), e.number(field)});
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(series.size()).as(series.name()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(series.x(i)).isEqualTo(expected.get(i)[0]);
            assertThat(series.y(i)).isEqualTo(expected.get(i)[1]);
        }
    }

    private static List<RunEvent> filter(List<RunEvent> events, Predicate<RunEvent> keep) {
        return events.stream().filter(keep).toList();
    }

    private static int[] pixels(RoutingLoadHeatmapSkin skin) {
        int[] argb = new int[skin.columns() * skin.experts()];
        for (int c = 0; c < skin.columns(); c++) {
            for (int e = 0; e < skin.experts(); e++) {
                argb[e * skin.columns() + c] = skin.cellArgb(e, c);
            }
        }
        return argb;
    }
}
