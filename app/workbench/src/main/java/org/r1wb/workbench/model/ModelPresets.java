package org.r1wb.workbench.model;

import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;

import java.util.stream.IntStream;

/** Starting points for a model: a tiny character model, a DeepSeek-V3-style small MoE, and its dense twin. */
public final class ModelPresets {

    private ModelPresets() {
    }

    /** Two dense layers over bytes: trains in seconds on a CPU, for smoke tests. */
    public static ModelSpec tinyChar() {
        return new ModelSpec(256, 64, 2, 4, 4, 16, 10_000, 128, 1e-5, 0.0, true, 2, 192, null);
    }

    /** DeepSeek-V3 shape in small: first layer dense, then fine-grained experts with a shared one, sigmoid gate, aux-free balancing. */
    public static ModelSpec smallMoe() {
        return new ModelSpec(512, 128, 4, 4, 2, 32, 10_000, 128, 1e-5, 0.0, true, 1, 384,
                new MoeSpec(16, 1, 2, 64, GateFunction.SIGMOID, Balancing.AUX_FREE, 0.01, 0.001));
    }

    /**
     * The dense model a MoE should be compared with: every layer dense, with an FFN as wide as the experts one
     * token goes through ((top-k + shared) × expert width), so both spend the same active parameters per token
     * in the FFN. Each layer keeps its attention.
     */
    public static ModelSpec denseTwin(ModelSpec spec) {
        if (spec.moe() == null) {
            return spec;
        }
        int width = (spec.moe().topK() + spec.moe().sharedExperts()) * spec.moe().expertHidden();
        ModelSpec dense = new ModelSpec(spec.vocabSize(), spec.dModel(), spec.layers(), spec.heads(), spec.kvHeads(),
                spec.headDim(), spec.ropeTheta(), spec.maxSeqLen(), spec.normEps(), spec.dropout(),
                spec.tiedEmbeddings(), spec.layers(), width, null);
        return dense.withLayerKinds(IntStream.range(0, spec.layers()).mapToObj(i -> LayerKind.dense(spec.kvHeads(i)))
                .toList());
    }
}
