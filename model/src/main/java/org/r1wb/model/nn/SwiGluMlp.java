package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The SwiGLU feed-forward (Shazeer, 2020): {@code down(silu(gate(x)) ⊙ up(x))}, no biases. Used as the dense FFN,
 * as each routed expert and as the (merged) shared expert.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>D, F</td><td>model width, hidden width</td></tr>
 *   <tr><td>in, out</td><td>(…, D)</td></tr>
 * </table>
 */
public final class SwiGluMlp extends AbstractBlock {

    /** Name of the residual output projection; {@link ModelInit} gives it the depth-scaled init. */
    public static final String DOWN = "down_proj";

    private static final byte VERSION = 1;

    private final Parameter gate;
    private final Parameter up;
    private final Parameter down;

    /** An MLP from width {@code dModel} through {@code hidden} and back. */
    public SwiGluMlp(int dModel, int hidden) {
        super(VERSION);
        this.gate = addParameter(Tensors.weight("gate_proj", hidden, dModel));
        this.up = addParameter(Tensors.weight("up_proj", hidden, dModel));
        this.down = addParameter(Tensors.weight(DOWN, dModel, hidden));
    }

    /** Applies the MLP to {@code x} (…, D). */
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        if (Autocast.isBf16()) {
            return ScriptKernels.get().swiGluBf16(x, Tensors.value(store, gate, x, training),
                    Tensors.value(store, up, x, training), Tensors.value(store, down, x, training));
        }
        NDArray g = Tensors.linear(x, Tensors.value(store, gate, x, training));  // (…, F)
        NDArray u = Tensors.linear(x, Tensors.value(store, up, x, training));    // (…, F)
        return Tensors.linear(Tensors.silu(g).mul(u), Tensors.value(store, down, x, training));
    }

    /** The gate, up and down weights, in that order, on {@code like}'s device. */
    NDList projections(ParameterStore store, NDArray like, boolean training) {
        return new NDList(Tensors.value(store, gate, like, training), Tensors.value(store, up, like, training),
                Tensors.value(store, down, like, training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(store, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
