package org.r1wb.workbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.InspectCommand;
import org.r1wb.model.run.EventJournal;
import org.r1wb.workbench.inspect.InspectionModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Captures that `r1wb inspect` left in {@code probes.jsonl} (a trainer held the run) reach the attention views. */
class RunMonitorProbesTest {

    @Test
    void probeCapturesBesideTheJournalAreReadAndOnlyThey(@TempDir Path run) throws Exception {
        assertThat(RunMonitor.readProbes(run.resolve(InspectCommand.PROBES))).isEmpty();
        try (EventJournal probes = EventJournal.openForAppend(run.resolve(InspectCommand.PROBES), "r")) {
            probes.emit("metric", Map.of("step", 3, "loss", 2.5));
            probes.emit("attention", Map.of("step", 3, "layer", 1, "head", 0, "tokens", List.of("a", "b"),
                    "weights", List.of(List.of(1.0), List.of(0.25, 0.75))));
        }
        InspectionModel model = new InspectionModel();
        model.apply(RunMonitor.readProbes(run.resolve(InspectCommand.PROBES)));
        assertThat(model.attention().layers()).containsExactly(1);
        assertThat(model.attention().get(1, 0).weight(1, 1)).isEqualTo(0.75);
        assertThat(model.appliedEvents()).as("the stray metric line is not a probe").isEqualTo(1);
    }
}
