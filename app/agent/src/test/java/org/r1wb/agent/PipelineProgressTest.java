package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.r1wb.pipeline.stage.StageStats;

/** The progress display on a clock the test moves: ETA, in-place redraws, and status lines every few seconds. */
class PipelineProgressTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void theEtaFollowsTheSlowestRunningStage() {
        PipelineProgress progress = new PipelineProgress(new PrintWriter(text), PipelineProgress.Mode.NONE, now::get);
        progress.onStageStart("read", "read.text", 0, 3);
        progress.onStageStart("norm", "normalize", 1, 3);
        assertThat(progress.status()).contains("ETA --:--").contains("[........................]   0%");

        now.addAndGet(30_000_000_000L);
        progress.onStageProgress("read", 0.5, "");
        progress.onStageProgress("norm", 0.25, "");
        progress.onStageCounts("norm", 2500, 2400);

        // 30 s for a quarter: 90 s to go.
        assertThat(progress.status()).contains("[######..................]  25%").contains("ETA 1:30")
                .contains("read 0/0 | norm 2,500/2,400");
        assertThat(PipelineProgress.compact(678_901)).isEqualTo("678k");
        assertThat(PipelineProgress.compact(12_345_678)).isEqualTo("12.3M");
    }

    @Test
    void onATerminalTheStatusIsRedrawnInPlaceAndClearedBeforeALine() {
        PipelineProgress progress = new PipelineProgress(new PrintWriter(text), PipelineProgress.Mode.BAR, now::get);
        progress.onStageStart("read", "read.text", 0, 1);
        progress.onStageProgress("read", 0.1, "");
        now.addAndGet(PipelineProgress.REDRAW.toNanos() / 2);
        progress.onStageProgress("read", 0.2, "");
        now.addAndGet(PipelineProgress.REDRAW.toNanos());
        progress.onStageProgress("read", 0.4, "");
        progress.onStageFinish(new StageStats("read", "read.text", 10, 9, Map.of(), Map.of(), List.of(), 1234));

        String shown = text.toString();
        assertThat(shown).contains("\r  [##" + ".".repeat(22) + "]  10%").contains("\r  [##########").contains(" 40%");
        assertThat(shown).doesNotContain(" 20%");
        assertThat(shown.substring(shown.lastIndexOf('\r') + 1)).startsWith("        read done: 10 in, 9 out in 1.23 s");
    }

    @Test
    void offATerminalAStatusLineComesEveryFewSeconds() {
        PipelineProgress progress = new PipelineProgress(new PrintWriter(text), PipelineProgress.Mode.LINES, now::get);
        progress.onStageStart("read", "read.text", 0, 1);
        for (int second = 1; second <= 12; second++) {
            now.addAndGet(1_000_000_000L);
            progress.onStageCounts("read", second * 100L, second * 100L);
        }

        List<String> lines = text.toString().lines().toList();
        assertThat(text.toString()).doesNotContain("\r");
        assertThat(lines).filteredOn(l -> l.contains("ETA")).hasSize(3)
                .first().asString().contains("read 100/100");
    }
}
