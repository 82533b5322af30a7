package org.r1wb.workbench.run;

import org.junit.jupiter.api.Test;
import org.r1wb.model.run.RunEvent;
import org.r1wb.views.chart.MetricSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunViewModelTest {

    private long seq;

    @Test
    void foldsEventsIntoStateNumbersAndSeries() {
        RunViewModel vm = new RunViewModel("r-1");
        List<RunEvent> events = new ArrayList<>();
        events.add(event("status", Map.of("state", "running", "message", "started")));
        events.add(event("metric", Map.of("step", 1, "loss", 9.5, "lr", 1e-5, "tokens_per_s", 1000.0)));
        events.add(event("routing", Map.of("step", 1, "layer", 0, "cv", 0.1)));
        events.add(event("metric", Map.of("step", 2, "loss", 8.25, "lr", 2e-5)));
        events.add(event("metric", Map.of("step", 2, "val_loss", 8.75)));
        events.add(event("checkpoint", Map.of("step", 2, "path", "c", "digest", "d")));

        vm.apply(new JournalBatch(events, null));

        assertThat(vm.stateProperty().get()).isEqualTo(RunState.RUNNING);
        assertThat(vm.messageProperty().get()).isEqualTo("started");
        assertThat(vm.stepProperty().get()).isEqualTo(2);
        assertThat(vm.lossProperty().get()).isEqualTo(8.25);
        assertThat(vm.valLossProperty().get()).isEqualTo(8.75);
        assertThat(vm.learningRateProperty().get()).isEqualTo(2e-5);
        assertThat(vm.tokensPerSecondProperty().get()).isEqualTo(1000.0);
        assertThat(vm.checkpointsProperty().get()).isEqualTo(1);
        assertThat(points(vm.lossSeries())).containsExactly(List.of(1.0, 9.5), List.of(2.0, 8.25));
        assertThat(points(vm.valLossSeries())).containsExactly(List.of(2.0, 8.75));
        assertThat(vm.lastSeq()).isEqualTo(seq);

        vm.apply(new JournalBatch(List.of(event("status", Map.of("state", "failed", "message", "OOM"))),
                "events.jsonl:9: not a valid event: x"));
        assertThat(vm.stateProperty().get()).isEqualTo(RunState.FAILED);
        assertThat(vm.stateProperty().get().terminal()).isTrue();
        assertThat(vm.problemProperty().get()).isEqualTo("events.jsonl:9: not a valid event: x");
    }

    @Test
    void numbersNotYetReportedAreNaN() {
        RunViewModel vm = new RunViewModel("r-2");
        vm.apply(new JournalBatch(List.of(event("metric", Map.of("loss", 1.0))), null));
        assertThat(vm.stepProperty().get()).isEqualTo(-1);
        assertThat(vm.lossProperty().get()).isNaN();
        assertThat(vm.lossSeries().size()).as("a metric without a step has no place on the chart").isZero();
        assertThat(vm.stateProperty().get()).isEqualTo(RunState.UNKNOWN);
    }

    private RunEvent event(String type, Map<String, Object> fields) {
        return new RunEvent(1, ++seq, "r", 0, type, fields);
    }

    private static List<List<Double>> points(MetricSeries series) {
        List<List<Double>> points = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            points.add(List.of(series.x(i), series.y(i)));
        }
        return points;
    }
}
