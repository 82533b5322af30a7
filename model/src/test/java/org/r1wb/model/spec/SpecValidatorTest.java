package org.r1wb.model.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpecValidatorTest {

    private static ModelSpec valid() {
        return new ModelSpec(512, 128, 4, 4, 4, 32, 10000.0, 128, 1e-5, 0.0, true, 1, 384,
                new MoeSpec(8, 1, 2, 128, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
    }

    @Test
    void aValidSpecHasNoProblems() {
        assertThat(SpecValidator.validate(valid())).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnceWithPathsAndFixes() {
        ModelSpec spec = new ModelSpec(512, 128, 4, 6, 4, 33, 10000.0, 128, 1e-5, 1.5, true, 1, 384,
                new MoeSpec(8, 1, 9, 0, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.0));

        List<SpecProblem> problems = SpecValidator.validate(spec);

        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "kvHeads", "headDim", "dropout", "moe.topK", "moe.expertHidden", "moe.biasUpdateRate");
        assertThat(problems).filteredOn(p -> p.path().equals("moe.topK")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("must be ≤ routedExperts (8)"));
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
    }

    @Test
    void missingMoeSectionIsReportedWhenLayersAreNotAllDense() {
        ModelSpec spec = new ModelSpec(512, 128, 4, 4, 4, 32, 10000.0, 128, 1e-5, 0.0, true, 1, 384, null);
        assertThat(SpecValidator.validate(spec)).extracting(SpecProblem::path).containsExactly("moe");

        ModelSpec allDense = new ModelSpec(512, 128, 4, 4, 4, 32, 10000.0, 128, 1e-5, 0.0, true, 4, 384, null);
        assertThat(SpecValidator.validate(allDense)).isEmpty();
    }
}
