package org.r1wb.workbench.inspect;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.perf.PulseWatcher;
import org.r1wb.workbench.Screens;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams 2 000 events/s into a shown inspector for a few seconds (training metrics, routing for 4 MoE layers of
 * 64 experts, device telemetry) and watches the FX thread's pulses: it must never be busy for more than 50 ms
 * between two pulses, and every event must arrive.
 */
@ExtendWith(ApplicationExtension.class)
class InspectPulseTest {

    private static final int EVENTS_PER_SECOND = 2_000;
    private static final int SECONDS = 3;
    /** The producer hands over a chunk every 10 ms, as a journal tail polling fast would. */
    private static final int CHUNK_MS = 10;
    private static final int LAYERS = 4;
    private static final int EXPERTS = 64;

    private final InspectionModel model = new InspectionModel();
    private InspectorView view;

    @Start
    void start(Stage stage) {
        view = new InspectorView(model);
        stage.setScene(new Scene(view, 1200, 800));
        stage.show();
    }

    @Test
    void fxThreadIsNeverBlockedWhileEventsStreamIn(FxRobot robot) throws Exception {
        double[] longestDrain = new double[1];
        InspectionFeed feed = new InspectionFeed(model, drain -> Platform.runLater(() -> {
            long t0 = System.nanoTime();
            drain.run();
            longestDrain[0] = Math.max(longestDrain[0], (System.nanoTime() - t0) / 1e6);
        }));
        PulseWatcher watcher = new PulseWatcher();
        // lay every tab out once first: the first showing of a tab builds its skins, which is not streaming work
        for (String tab : List.of("Expert routing", "Attention", "Devices", "Dashboard")) {
            robot.interact(() -> view.show(tab));
        }
        robot.interact(watcher::start);
        long seq = 0;
        int metrics = 0;
        int perChunk = EVENTS_PER_SECOND * CHUNK_MS / 1000;
        int chunks = SECONDS * 1000 / CHUNK_MS;
        long started = System.nanoTime();
        for (int chunk = 0; chunk < chunks; chunk++) {
            List<RunEvent> events = new ArrayList<>(perChunk);
            while (events.size() < perChunk) {
                seq++;
                long step = metrics;
                if (seq % 10 < LAYERS) {
                    events.add(routing(seq, step, (int) (seq % 10)));
                } else if (seq % 500 == 7) {
                    events.add(new RunEvent(1, seq, "stream", System.currentTimeMillis(), "device", Map.of("state", "ok",
                            "index", 0, "name", "GPU", "util", 90.0, "mem_used_mib", 1000.0 + step, "temp_c", 60.0, "power_w", 300.0)));
                } else {
                    metrics++;
                    events.add(new RunEvent(1, seq, "stream", System.currentTimeMillis(), "metric", Map.of("step", step,
                            "loss", 6.0 / (1 + step * 1e-3), "lr", 1e-3, "grad_norm", 1.0, "tokens_per_s", 1e4, "aux_loss", 0.01)));
                }
            }
            feed.offer(events);
            if (chunk == chunks / 2) {
                Platform.runLater(() -> view.show("Expert routing"));
            }
            long due = started + (chunk + 1) * CHUNK_MS * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        long total = seq;
        Screens.waitFor(10, () -> model.lastSeq() == total);
        robot.interact(watcher::stop);

        System.out.printf("inspect pulse: %d events in %.2f s, %d drains, %d frames, longest drain %.1f ms, longest FX busy %.1f ms, "
                        + "longest gap %.1f ms, gaps over 25 ms %s%n", total, (System.nanoTime() - started) / 1e9,
                feed.drains(), watcher.frames(), longestDrain[0], watcher.longestBusyMillis(), watcher.longestGapMillis(), watcher.longGaps());
        assertThat(model.appliedEvents()).isEqualTo(total);
        assertThat(model.dashboard().loss().size()).isEqualTo(metrics);
        assertThat(model.routing().size(0)).isGreaterThan(1000);
        assertThat(watcher.frames()).isGreaterThan(SECONDS * 20L);
        assertThat(watcher.longestBusyMillis()).isLessThan(50);
    }

    private static RunEvent routing(long seq, long step, int layer) {
        List<Double> load = new ArrayList<>();
        List<Double> bias = new ArrayList<>();
        for (int e = 0; e < EXPERTS; e++) {
            load.add((1 + 0.5 * Math.sin(step * 0.01 + e)) / EXPERTS);
            bias.add(0.01 * Math.cos(e + step * 0.001));
        }
        return new RunEvent(1, seq, "stream", System.currentTimeMillis(), "routing", Map.of("step", step, "layer", layer,
                "load", load, "cv", 0.35, "entropy", 3.9, "bias", bias));
    }
}
