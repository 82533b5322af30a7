package org.r1wb.model.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #4: a seeded run is a function of its seed, not of when the garbage collector runs. Before the fix, a
 * collection between forward and backward freed the attention scale that autograd had kept, and the first gradient
 * that went through it (the queries' and keys') came out different on every run.
 */
class DeterminismTest {

    private static final int STEPS = 3;

    @Test
    void twoRunsOfOneSeedAgreeBitForBitWhenTheCollectorRunsInEveryStep() {
        RunSpec spec = ResumeTest.run(STEPS);
        List<String> first = DeterminismTrace.trace(spec, STEPS, true);
        List<String> second = DeterminismTrace.trace(spec, STEPS, true);
        assertThat(first).hasSizeGreaterThan(3 * STEPS);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("trace line %d", i).isEqualTo(first.get(i));
        }
    }
}
