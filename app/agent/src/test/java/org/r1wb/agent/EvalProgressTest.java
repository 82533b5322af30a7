package org.r1wb.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress lines {@code r1wb eval} prints read back as what they were written from. */
class EvalProgressTest {

    @Test
    void everyProgressLineReadsBackAndOtherLinesDoNot() {
        assertThat(EvalProgress.parse(EvalProgress.startedLine("arithmetic-em", 40, 12)))
                .contains(new EvalProgress("arithmetic-em", 12, 40, ""));
        assertThat(EvalProgress.parse(EvalProgress.progressLine("arithmetic-em", 30, 40, "1m 05s")))
                .contains(new EvalProgress("arithmetic-em", 30, 40, "1m 05s"));
        assertThat(EvalProgress.parse(EvalProgress.cachedLine("heldout-perplexity")).orElseThrow().finished()).isTrue();
        assertThat(EvalProgress.parse("    arithmetic-em exact_match = 0.2500 ± 0.0500 (n=40)")).isEmpty();
        assertThat(EvalProgress.parse("all results served from the cache")).isEmpty();
    }
}
