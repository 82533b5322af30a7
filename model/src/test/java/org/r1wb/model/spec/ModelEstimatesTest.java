package org.r1wb.model.spec;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.r1wb.model.nn.MoeTransformer;

import static org.assertj.core.api.Assertions.assertThat;

class ModelEstimatesTest {

    // V 10, D 4, L 2 (1 dense, 1 MoE), H 2, KV 1, hd 2, T 8, untied; dense F 6; MoE E 3, S 1, K 2, Fe 5
    private static final ModelSpec SPEC = new ModelSpec(10, 4, 2, 2, 1, 2, 10000.0, 8, 1e-5, 0.0, false, 1, 6,
            new MoeSpec(3, 1, 2, 5, GateFunction.SIGMOID, Balancing.AUX_LOSS, 0.01, 0.0));

    @Test
    void matchesAHandCount() {
        // embedding 40 + head 40 + final norm 4
        // per layer: q 4·2·2=16, k 4·1·2=8, v 8, o 16 → 48; norms 8
        // dense FFN 3·4·6 = 72; MoE: router 3·4 = 12, experts (3+1)·3·4·5 = 240
        long total = 40 + 40 + 4 + 2 * (48 + 8) + 72 + 12 + 240;
        long active = total - 60;                       // one unchosen expert of 3·4·5
        double flops = 6.0 * (active - 40) + 12.0 * 2 * 2 * 2 * 8;

        ModelEstimates estimates = ModelEstimates.of(SPEC);

        assertThat(estimates.totalParams()).isEqualTo(520).isEqualTo(total);
        assertThat(estimates.activeParamsPerToken()).isEqualTo(active);
        assertThat(estimates.trainingFlopsPerToken()).isEqualTo(flops);
        assertThat(estimates.trainingStateBytes()).isEqualTo(16 * total);
    }

    @Test
    void totalMatchesTheBuiltModel() {
        ModelSpec sample = new ModelSpec(512, 128, 4, 4, 2, 32, 10000.0, 128, 1e-5, 0.0, true, 1, 384,
                new MoeSpec(8, 1, 2, 128, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
        for (ModelSpec spec : new ModelSpec[] {SPEC, sample}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeTransformer model = MoeTransformer.create(spec, manager, 1);
                long built = 0;
                for (Pair<String, Parameter> entry : model.getParameters()) {
                    if (entry.getValue().requiresGradient()) {
                        built += entry.getValue().getArray().size();
                    }
                }
                assertThat(ModelEstimates.of(spec).totalParams()).isEqualTo(built);
            }
        }
    }

    @Test
    void activationsScaleWithBatchAndMatchAHandCount() {
        ModelSpec spec = org.r1wb.model.nn.TinySpecs.tiny(); // V 64, D 32, H 4, layer 0 dense (64), layer 1 MoE (2 + 1) × 16
        long perToken = 2 * 64 + (8 * 32 + 2 * 4 * 10 + 3 * 64) + (8 * 32 + 2 * 4 * 10 + 3 * 3 * 16);
        assertThat(ModelEstimates.activationBytes(spec, 3, 10)).isEqualTo(4L * 3 * 10 * perToken);
        assertThat(ModelEstimates.activationBytes(spec, 6, 10)).isEqualTo(2 * ModelEstimates.activationBytes(spec, 3, 10));
    }
}
