package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Root-mean-square normalisation (Zhang and Sennrich, 2019): {@code x / sqrt(mean(x²) + eps) · g}, no centring
 * and no bias, cheaper than LayerNorm and what DeepSeek and LLaMA use.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>D</td><td>normalised width (last axis)</td></tr>
 *   <tr><td>in, out</td><td>(…, D)</td></tr>
 * </table>
 */
public final class RmsNorm extends AbstractBlock {

    /** Name of the gain parameter; {@link ModelInit} starts it at one. */
    public static final String GAIN = "gain";

    private static final byte VERSION = 1;

    private final float eps;
    private final Parameter gain;

    /** A norm over the last axis of width {@code dim}. */
    public RmsNorm(int dim, double eps) {
        super(VERSION);
        this.eps = (float) eps;
        this.gain = addParameter(Tensors.weight(GAIN, dim));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray g = Tensors.value(store, gain, x, training);
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt(); // (…, 1)
        return new NDList(x.div(rms).mul(g));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
