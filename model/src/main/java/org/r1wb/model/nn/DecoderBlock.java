package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.r1wb.model.spec.ModelSpec;

/**
 * One pre-norm decoder layer: {@code h = x + attn(norm(x))}, {@code out = h + ffn(norm(h))}, where the FFN is
 * a dense SwiGLU or a {@link MoeLayer}.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T, D</td><td>batch, positions, model width</td></tr>
 *   <tr><td>in</td><td>(B, T, D)</td></tr>
 *   <tr><td>out</td><td>(B, T, D), plus the balance loss (scalar) for a MoE layer</td></tr>
 * </table>
 */
public final class DecoderBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final double dropout;
    private final RmsNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final RmsNorm ffnNorm;
    private final SwiGluMlp dense;
    private final MoeLayer moe;

    /** Layer {@code index} (0-based) of {@code spec}. */
    public DecoderBlock(ModelSpec spec, int index) {
        super(VERSION);
        this.dropout = spec.dropout();
        this.attentionNorm = addChildBlock("attention_norm", new RmsNorm(spec.dModel(), spec.normEps()));
        this.attention = addChildBlock("attention", new CausalSelfAttention(spec, index));
        this.ffnNorm = addChildBlock("ffn_norm", new RmsNorm(spec.dModel(), spec.normEps()));
        if (spec.isMoeLayer(index)) {
            this.dense = null;
            this.moe = addChildBlock("moe", new MoeLayer(spec.dModel(), spec.moe()));
        } else {
            this.dense = addChildBlock("ffn", new SwiGluMlp(spec.dModel(), spec.ffnHidden()));
            this.moe = null;
        }
    }

    /** The MoE FFN of this layer, or {@code null} for a dense layer. */
    public MoeLayer moe() {
        return moe;
    }

    /** The attention of this layer. */
    public CausalSelfAttention attention() {
        return attention;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return apply(store, inputs.singletonOrThrow(), training, (KvCache.Layer) null);
    }

    /**
     * The layer on {@code x} (B, t, D), attending also to what {@code cache} holds (when not {@code null}) and
     * appending this pass's keys and values to it. Returns the output and, for a MoE layer, its balance loss.
     */
    public NDList apply(ParameterStore store, NDArray x, boolean training, KvCache.Layer cache) {
        return feedForward(store, x, attention.apply(store, norm(attentionNorm, store, x, training), training, cache),
                training, null);
    }

    /** The layer on one sequence {@code x} (1, T, D) for inference, filling {@code capture} with what it saw. */
    public NDList apply(ParameterStore store, NDArray x, ProbeCapture.Layer capture) {
        return feedForward(store, x, attention.apply(store, norm(attentionNorm, store, x, false), capture), false,
                capture);
    }

    /** The layer on a packed batch {@code x} (B, T, D), attention kept within each example of {@code segments}. */
    public NDList apply(ParameterStore store, NDArray x, boolean training, Segments segments) {
        return feedForward(store, x, attention.apply(store, norm(attentionNorm, store, x, training), training, segments),
                training, null);
    }

    /**
     * The rest of the layer once {@code x} has been attended: the attention residual, then the FFN's (its routing
     * kept in {@code capture} when not {@code null}).
     */
    private NDList feedForward(ParameterStore store, NDArray x, NDArray attended, boolean training,
                               ProbeCapture.Layer capture) {
        NDArray h = x.add(Tensors.dropout(attended, dropout, training));
        NDArray normed = norm(ffnNorm, store, h, training);
        if (moe == null) {
            return new NDList(h.add(Tensors.dropout(dense.apply(store, normed, training), dropout, training)));
        }
        NDList routed = moe.apply(store, normed, training, capture);
        return new NDList(h.add(Tensors.dropout(routed.get(0), dropout, training)), routed.get(1));
    }

    private static NDArray norm(RmsNorm norm, ParameterStore store, NDArray x, boolean training) {
        return norm.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return moe == null ? new Shape[] {inputShapes[0]} : new Shape[] {inputShapes[0], new Shape()};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes);
        attention.initialize(manager, dataType, inputShapes);
        ffnNorm.initialize(manager, dataType, inputShapes);
        if (moe != null) {
            moe.initialize(manager, dataType, inputShapes);
        } else {
            dense.initialize(manager, dataType, inputShapes);
        }
    }
}
