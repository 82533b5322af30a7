package org.r1wb.model.spec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Specs whose layers differ: validation, estimates layer by layer, the JSON field and its canonical form. */
class LayerKindsTest {

    private static final MoeSpec MOE = new MoeSpec(3, 1, 2, 5, GateFunction.SIGMOID, Balancing.AUX_LOSS, 0.01, 0.0);

    // V 10, D 4, L 4, H 2, hd 2, T 8, untied, dense F 6; kv heads 2 unless a layer says otherwise
    private static ModelSpec uniform(int denseLayers, int kvHeads) {
        return new ModelSpec(10, 4, 4, 2, kvHeads, 2, 10000.0, 8, 1e-5, 0.0, false, denseLayers, 6, MOE);
    }

    @Test
    void estimatesCountEachLayerWithItsOwnBlocks() {
        // MoE layers 0, 1, 3 and dense layer 2; layer 0 GQA with 1 kv head, the others MHA (2)
        ModelSpec mixed = uniform(0, 2).withLayerKinds(List.of(
                LayerKind.moe(1), LayerKind.moe(2), LayerKind.dense(2), LayerKind.moe(2)));
        assertThat(mixed.layerKinds()).as("not expressible with denseLayers").isNotNull();
        assertThat(SpecValidator.validate(mixed)).isEmpty();

        // by hand: embedding 40 + head 40 + final norm 4; norms 8 a layer
        // attention: q 4·2·2 = 16, o 16, k and v 2·4·kv·2 = 16·kv → 64 with 2 kv heads, 48 with 1
        // dense FFN 3·4·6 = 72; MoE: router 12 + experts (3+1)·3·4·5 = 240, of which 60 (one expert) unchosen
        long total = 84 + 4 * 8 + (48 + 3 * 64) + 72 + 3 * (12 + 240);
        long active = total - 3 * 60;
        ModelEstimates estimates = ModelEstimates.of(mixed);
        assertThat(estimates.totalParams()).isEqualTo(total);
        assertThat(estimates.activeParamsPerToken()).isEqualTo(active);
        assertThat(estimates.trainingFlopsPerToken()).isEqualTo(6.0 * (active - 40) + 12.0 * 4 * 2 * 2 * 8);
        assertThat(mixed.moeLayers()).isEqualTo(3);
        assertThat(mixed.isMoeLayer(2)).isFalse();
        assertThat(mixed.kvHeads(0)).isEqualTo(1);
        assertThat(mixed.kvHeads(3)).isEqualTo(2);
    }

    @Test
    void kindsTheOldFieldsCanSayAreWrittenWithoutAList() {
        ModelSpec spec = uniform(1, 2);
        List<LayerKind> kinds = List.of(LayerKind.dense(1), LayerKind.dense(1), LayerKind.moe(1), LayerKind.moe(1));
        ModelSpec collapsed = spec.withLayerKinds(kinds);
        assertThat(collapsed).isEqualTo(uniform(2, 1));
        for (int i = 0; i < kinds.size(); i++) {
            assertThat(collapsed.layerKind(i)).isEqualTo(kinds.get(i));
        }
        assertThat(spec.withLayerKinds(List.of(LayerKind.moe(2), LayerKind.dense(2))).layerKinds())
                .as("a dense layer after a MoE one needs the list").hasSize(2);
    }

    @Test
    void jsonCarriesTheListOnlyWhenPresent() throws IOException {
        assertThat(ModelSpecs.toJson(uniform(1, 2))).doesNotContain("layerKinds");
        ModelSpec mixed = uniform(0, 2).withLayerKinds(List.of(
                LayerKind.dense(2), LayerKind.moe(1), LayerKind.dense(2), LayerKind.moe(2)));
        String json = ModelSpecs.toJson(mixed);
        assertThat(json).contains("\"layerKinds\"").contains("\"ffn\" : \"MOE\"");
        assertThat(ModelSpecs.parse(json)).isEqualTo(mixed);
    }

    @Test
    void eachBadLayerIsReportedAtItsIndexWithAFix() {
        ModelSpec spec = new ModelSpec(10, 4, 4, 8, 8, 2, 10000.0, 8, 1e-5, 0.0, false, 0, 6, null,
                List.of(LayerKind.dense(8), LayerKind.moe(8), LayerKind.dense(8), LayerKind.dense(3)));
        List<SpecProblem> problems = SpecValidator.validate(spec);
        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "layerKinds[1].ffn", "layerKinds[3].kvHeads");
        assertThat(problems).filteredOn(p -> p.path().equals("layerKinds[3].kvHeads")).singleElement()
                .satisfies(p -> {
                    assertThat(p.message()).isEqualTo("must divide heads (8)");
                    assertThat(p.fix()).isEqualTo("use a divisor of 8, e.g. 2");
                });

        ModelSpec short3 = new ModelSpec(10, 4, 4, 2, 2, 2, 10000.0, 8, 1e-5, 0.0, false, 0, 6, MOE,
                List.of(LayerKind.moe(2), LayerKind.moe(2), LayerKind.moe(2)));
        assertThat(SpecValidator.validate(short3)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("layerKinds");
            assertThat(p.message()).isEqualTo("has 3 entries but layers is 4");
        });
    }
}
