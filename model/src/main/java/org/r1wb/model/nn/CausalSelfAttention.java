package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.r1wb.model.spec.ModelSpec;

import java.util.Arrays;

/**
 * Causal multi-head self-attention with grouped-query heads and rotary positions; no biases.
 * Each group of {@code H / KV} query heads shares one key/value head (Ainslie et al., GQA).
 *
 * <p>A whole sequence without a KV cache, a probe capture or attention dropout (training and evaluation) takes one
 * {@link ScriptKernels} call; decoding, probes and packed batches take the step-by-step path below, which computes
 * the same function.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T, D</td><td>batch, positions, model width</td></tr>
 *   <tr><td>H, KV, hd</td><td>query heads, key/value heads, head width</td></tr>
 *   <tr><td>in, out</td><td>(B, T, D)</td></tr>
 * </table>
 */
public final class CausalSelfAttention extends AbstractBlock {

    /** Name of the residual output projection; {@link ModelInit} gives it the depth-scaled init. */
    public static final String OUT = "out_proj";

    private static final byte VERSION = 1;

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final double dropout;
    private final Parameter query;
    private final Parameter key;
    private final Parameter value;
    private final Parameter out;
    private final RotaryEmbedding rotary;

    /** The attention of decoder layer {@code layer} (0-based) of {@code spec}, with that layer's kv heads. */
    public CausalSelfAttention(ModelSpec spec, int layer) {
        super(VERSION);
        this.heads = spec.heads();
        this.kvHeads = spec.kvHeads(layer);
        this.headDim = spec.headDim();
        this.dropout = spec.dropout();
        int d = spec.dModel();
        this.query = addParameter(Tensors.weight("q_proj", (long) heads * headDim, d));
        this.key = addParameter(Tensors.weight("k_proj", (long) kvHeads * headDim, d));
        this.value = addParameter(Tensors.weight("v_proj", (long) kvHeads * headDim, d));
        this.out = addParameter(Tensors.weight(OUT, d, (long) heads * headDim));
        this.rotary = addChildBlock("rotary", new RotaryEmbedding(headDim, spec.maxSeqLen(), spec.ropeTheta()));
    }

    /** Attends over {@code x} (B, T, D), each position seeing itself and the ones before it. */
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return apply(store, x, training, (KvCache.Layer) null);
    }

    /**
     * Attends over {@code x} (B, t, D), the positions that follow those already in {@code cache} (none when it is
     * {@code null}); appends their keys and values to the cache.
     */
    public NDArray apply(ParameterStore store, NDArray x, boolean training, KvCache.Layer cache) {
        return apply(store, x, training, cache, null);
    }

    /** Attends over one sequence {@code x} (1, T, D) for inference, keeping every head's weights in {@code capture}. */
    public NDArray apply(ParameterStore store, NDArray x, ProbeCapture.Layer capture) {
        return apply(store, x, false, null, capture);
    }

    private NDArray apply(ParameterStore store, NDArray x, boolean training, KvCache.Layer cache,
                          ProbeCapture.Layer capture) {
        int t = Math.toIntExact(x.getShape().get(1));
        if (cache == null && capture == null && (!training || dropout <= 0)) {
            NDList tables = rotary.tables(x, t);
            return ScriptKernels.get().causalAttention(x, Tensors.value(store, query, x, training),
                    Tensors.value(store, key, x, training), Tensors.value(store, value, x, training),
                    Tensors.value(store, out, x, training), tables.get(0), tables.get(1), Autocast.isBf16());
        }
        int offset = cache == null ? 0 : cache.length();
        Heads projected = project(store, x, training);
        NDArray q = rotary.apply(projected.q, offset);
        NDArray k = rotary.apply(projected.k, offset);
        NDArray v = projected.v;
        if (cache != null) {
            NDArray[] past = cache.append(k, v);                                            // (B, KV, S, hd), S = offset + t
            k = past[0];
            v = past[1];
        }
        NDArray mask = t > 1
                ? x.getManager().create(causalMask(t, offset), new Shape(t, offset + t)).toDevice(x.getDevice(), false)
                : null;
        return attend(store, x, training, q, k, v, mask, capture);
    }

    /**
     * Attends over a packed batch {@code x} (B, T, D): each token sees only the earlier tokens of its own example
     * and is rotated by its position within it, as if each example ran alone.
     */
    public NDArray apply(ParameterStore store, NDArray x, boolean training, Segments segments) {
        Heads projected = project(store, x, training);
        NDArray q = rotary.apply(projected.q, segments);
        NDArray k = rotary.apply(projected.k, segments);
        return attend(store, x, training, q, k, projected.v, segments.mask(x.getManager(), x.getDevice()), null);
    }

    /** Queries (B, H, t, hd), keys and values (B, KV, t, hd), before rotation. */
    private record Heads(NDArray q, NDArray k, NDArray v) {
    }

    private Heads project(ParameterStore store, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        int t = Math.toIntExact(x.getShape().get(1));
        return new Heads(
                split(Tensors.linear(x, Tensors.value(store, query, x, training)), b, t, heads),
                split(Tensors.linear(x, Tensors.value(store, key, x, training)), b, t, kvHeads),
                split(Tensors.linear(x, Tensors.value(store, value, x, training)), b, t, kvHeads));
    }

    /**
     * Softmax attention of rotated {@code q} over {@code k}, {@code v} (S positions) under an additive mask or none;
     * the weights go to {@code capture} too when it is not {@code null}.
     */
    private NDArray attend(ParameterStore store, NDArray x, boolean training, NDArray q, NDArray k, NDArray v,
                           NDArray mask, ProbeCapture.Layer capture) {
        long b = q.getShape().get(0);
        long t = q.getShape().get(2);
        int s = Math.toIntExact(k.getShape().get(2));
        k = shareAcrossGroup(k, b, s); // (B, H, S, hd)
        v = shareAcrossGroup(v, b, s);
        NDArray scores = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(headDim)); // (B, H, t, S)
        if (mask != null) {
            scores = scores.add(mask); // (t, S) or (B, 1, t, S), broadcast over the heads
        }
        NDArray probabilities = scores.softmax(-1);            // (B, H, t, S)
        if (capture != null) {
            capture.attention(probabilities);
        }
        NDArray weights = Tensors.dropout(probabilities, dropout, training);
        NDArray context = weights.matMul(v)                 // (B, H, t, hd)
                .transpose(0, 2, 1, 3)                       // (B, t, H, hd)
                .reshape(b, t, (long) heads * headDim);      // (B, t, H·hd)
        return Tensors.linear(context, Tensors.value(store, out, x, training)); // (B, t, D)
    }

    private NDArray split(NDArray projected, long b, int t, int headCount) {
        return projected.reshape(b, t, headCount, headDim).transpose(0, 2, 1, 3);
    }

    private NDArray shareAcrossGroup(NDArray kv, long b, int s) {
        if (kvHeads == heads) {
            return kv;
        }
        int group = heads / kvHeads;
        return kv.expandDims(2)                           // (B, KV, 1, S, hd)
                .repeat(2, group)                          // (B, KV, G, S, hd)
                .reshape(b, heads, s, headDim);            // (B, H, S, hd)
    }

    /** (t, offset + t) additive mask: query i (at position offset + i) sees keys 0..offset + i; −∞ elsewhere. */
    private static float[] causalMask(int t, int offset) {
        int s = offset + t;
        float[] mask = new float[t * s];
        for (int row = 0; row < t; row++) {
            Arrays.fill(mask, row * s + offset + row + 1, row * s + s, Float.NEGATIVE_INFINITY);
        }
        return mask;
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

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        rotary.initialize(manager, dataType, inputShapes);
    }
}
