package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.r1wb.model.spec.ModelSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The whole language model: token embedding → L {@link DecoderBlock}s → final {@link RmsNorm} → output head
 * (the embedding matrix itself when embeddings are tied).
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T</td><td>batch, positions</td></tr>
 *   <tr><td>D, V</td><td>model width, vocabulary</td></tr>
 *   <tr><td>in</td><td>token ids (B, T) int64</td></tr>
 *   <tr><td>out</td><td>logits (B, T, V) and the mean balance loss over MoE layers (scalar, 0 without MoE)</td></tr>
 * </table>
 */
public final class MoeTransformer extends AbstractBlock {

    /** Name of the token embedding (also the head when tied). */
    public static final String EMBEDDING = "embedding";

    private static final byte VERSION = 1;

    private final ModelSpec spec;
    private final Parameter embedding;
    private final Parameter head;
    private final List<DecoderBlock> blocks = new ArrayList<>();
    private final RmsNorm finalNorm;

    /** An uninitialised model of {@code spec}; see {@link #create}. */
    public MoeTransformer(ModelSpec spec) {
        super(VERSION);
        this.spec = spec;
        this.embedding = addParameter(Tensors.weight(EMBEDDING, spec.vocabSize(), spec.dModel()));
        this.head = spec.tiedEmbeddings() ? null
                : addParameter(Tensors.weight("lm_head", spec.vocabSize(), spec.dModel()));
        for (int layer = 0; layer < spec.layers(); layer++) {
            blocks.add(addChildBlock("layer" + layer, new DecoderBlock(spec, layer)));
        }
        this.finalNorm = addChildBlock("final_norm", new RmsNorm(spec.dModel(), spec.normEps()));
    }

    /** A model of {@code spec} with weights drawn by {@link ModelInit} from {@code seed}, living in {@code manager}. */
    public static MoeTransformer create(ModelSpec spec, NDManager manager, long seed) {
        MoeTransformer model = new MoeTransformer(spec);
        ModelInit.assign(model, spec, seed);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, spec.maxSeqLen()));
        return model;
    }

    /** Logits (B, T, V) and mean balance loss for token ids (B, T). */
    public NDList apply(ParameterStore store, NDArray ids, boolean training) {
        return forward(store, new NDList(ids), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return apply(store, inputs.singletonOrThrow(), training, (KvCache) null);
    }

    /**
     * Logits (B, t, V) and mean balance loss for token ids (B, t) that follow the positions already in {@code cache}
     * (from position 0 when it is {@code null}); their keys and values are appended to the cache.
     */
    public NDList apply(ParameterStore store, NDArray ids, boolean training, KvCache cache) {
        int t = Math.toIntExact(ids.getShape().get(1));
        if (cache != null && cache.length() + t > cache.capacity()) {
            throw new IllegalArgumentException("the KV cache holds " + cache.length() + " of " + cache.capacity()
                    + " positions; " + t + " more do not fit");
        }
        NDList out = run(store, ids, training,
                (layer, x) -> blocks.get(layer).apply(store, x, training, cache == null ? null : cache.layer(layer)));
        if (cache != null) {
            cache.advance(t);
        }
        return out;
    }

    /**
     * Logits (B, T, V) and mean balance loss for a packed batch of token ids (B, T): each example of {@code segments}
     * attends only within itself and counts its positions from its own start, so its logits are those it has alone.
     */
    public NDList apply(ParameterStore store, NDArray ids, boolean training, Segments segments) {
        return run(store, ids, training, (layer, x) -> blocks.get(layer).apply(store, x, training, segments));
    }

    /**
     * Logits (1, T, V) and mean balance loss for one sequence of token ids (1, T), run for inference, with every
     * layer's attention weights and routing kept in {@code capture}.
     */
    public NDList apply(ParameterStore store, NDArray ids, ProbeCapture capture) {
        if (capture.layers() != blocks.size()) {
            throw new IllegalArgumentException("the capture has " + capture.layers() + " layers; the model has "
                    + blocks.size());
        }
        return run(store, ids, false, (layer, x) -> blocks.get(layer).apply(store, x, capture.layer(layer)));
    }

    /** How one decoder layer is applied to the hidden states (B, t, D). */
    @FunctionalInterface
    private interface LayerPass {
        NDList apply(int layer, NDArray x);
    }

    private NDList run(ParameterStore store, NDArray ids, boolean training, LayerPass pass) {
        NDArray tokens = ids.toType(DataType.INT64, false);
        NDArray table = Tensors.value(store, embedding, tokens, training);
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, table, SparseFormat.DENSE).singletonOrThrow(); // (B, t, D)
        x = Tensors.dropout(x, spec.dropout(), training);
        NDArray balance = null;
        for (int layer = 0; layer < blocks.size(); layer++) {
            NDList out = pass.apply(layer, x);
            x = out.get(0);
            if (out.size() > 1) {
                balance = balance == null ? out.get(1) : balance.add(out.get(1));
            }
        }
        x = finalNorm.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray logits = Tensors.linear(x, head == null ? table : Tensors.value(store, head, x, training)); // (B, t, V)
        NDArray meanBalance = balance == null
                ? x.getManager().zeros(new Shape(), DataType.FLOAT32, x.getDevice())
                : Scalars.div(balance, spec.moeLayers());
        return new NDList(logits, meanBalance);
    }

    /** An empty KV cache for this model's layers and context length, living in a sub-manager of {@code manager}. */
    public KvCache newCache(NDManager manager) {
        return new KvCache(manager, spec.layers(), spec.maxSeqLen());
    }

    /** The spec this model was built from. */
    public ModelSpec spec() {
        return spec;
    }

    /** The decoder layers, in order. */
    public List<DecoderBlock> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    /** The MoE layers, in order, each with its layer index. */
    public List<IndexedMoe> moeLayers() {
        List<IndexedMoe> layers = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).moe() != null) {
                layers.add(new IndexedMoe(i, blocks.get(i).moe()));
            }
        }
        return layers;
    }

    /** A MoE layer and its position among the decoder layers. */
    public record IndexedMoe(int layer, MoeLayer moe) {
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), spec.vocabSize()), new Shape()};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), spec.dModel());
        for (DecoderBlock block : blocks) {
            block.initialize(manager, dataType, hidden);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }
}
