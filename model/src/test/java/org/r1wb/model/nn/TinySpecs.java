package org.r1wb.model.nn;

import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;

/** Small specs for fast tests. */
public final class TinySpecs {

    private TinySpecs() {
    }

    /** 2 layers (1 dense, 1 MoE with 4 experts, top-2, one shared), D 32, V 64. */
    public static ModelSpec tiny(GateFunction gate, Balancing balancing) {
        return new ModelSpec(64, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, gate, balancing, 0.01, 0.001));
    }

    /** The default tiny spec: softmax gate, aux-free balancing. */
    public static ModelSpec tiny() {
        return tiny(GateFunction.SOFTMAX, Balancing.AUX_FREE);
    }
}
