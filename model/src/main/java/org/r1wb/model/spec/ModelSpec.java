package org.r1wb.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything that fixes a DeepSeek-style decoder's shape: the file {@code models/*.model.json} on disk.
 * Validate with {@link SpecValidator}; size it with {@link ModelEstimates}.
 *
 * @param vocabSize      token ids the embedding accepts (V)
 * @param dModel         residual stream width (D)
 * @param layers         decoder blocks (L)
 * @param heads          query heads (H)
 * @param kvHeads        key/value heads of every layer (unless {@code layerKinds} says per layer); fewer than
 *                       {@code heads} is grouped-query attention, which shrinks the KV cache
 * @param headDim        width of one head; even, because rotary embedding rotates pairs
 * @param ropeTheta      rotary base; larger bases stretch the usable context
 * @param maxSeqLen      longest sequence the rotary tables and attention mask cover (T max)
 * @param normEps        RMSNorm epsilon, guarding the reciprocal square root
 * @param dropout        dropout on embeddings, attention weights and residual branches (0 for pretraining at scale)
 * @param tiedEmbeddings whether the output head reuses the embedding matrix (saves V·D parameters)
 * @param denseLayers    how many of the first layers use a dense SwiGLU FFN; DeepSeek keeps the first ones dense
 *                       because routing is unstable on barely-mixed token representations
 * @param ffnHidden      hidden width of the dense SwiGLU FFN
 * @param moe            the mixture-of-experts FFN of the other layers; may be {@code null} when every layer is dense
 * @param layerKinds     optional, one entry per layer: its FFN and its attention's kv heads, for models whose layers
 *                       differ in ways {@code denseLayers} and {@code kvHeads} cannot say; when present it decides
 *                       every layer and those two fields are not used to build them. Absent ({@code null}) in every
 *                       file written before it, and left out of the JSON when absent
 */
public record ModelSpec(
        int vocabSize,
        int dModel,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        double ropeTheta,
        int maxSeqLen,
        double normEps,
        double dropout,
        boolean tiedEmbeddings,
        int denseLayers,
        int ffnHidden,
        MoeSpec moe,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<LayerKind> layerKinds) {

    /** Keeps the list as given (nulls too, so the validator can name them) but unmodifiable. */
    public ModelSpec {
        layerKinds = layerKinds == null ? null : Collections.unmodifiableList(new ArrayList<>(layerKinds));
    }

    /** A spec whose layers all share one attention shape and whose first {@code denseLayers} layers are dense. */
    public ModelSpec(int vocabSize, int dModel, int layers, int heads, int kvHeads, int headDim, double ropeTheta,
                     int maxSeqLen, double normEps, double dropout, boolean tiedEmbeddings, int denseLayers,
                     int ffnHidden, MoeSpec moe) {
        this(vocabSize, dModel, layers, heads, kvHeads, headDim, ropeTheta, maxSeqLen, normEps, dropout,
                tiedEmbeddings, denseLayers, ffnHidden, moe, null);
    }

    /** Whether layer {@code index} (0-based) uses the mixture-of-experts FFN. */
    public boolean isMoeLayer(int index) {
        if (moe == null) {
            return false;
        }
        return layerKinds == null ? index >= denseLayers : listed(index).ffn() == LayerKind.Ffn.MOE;
    }

    /** Key/value heads of layer {@code index}'s attention. */
    public int kvHeads(int index) {
        return layerKinds == null ? kvHeads : listed(index).kvHeads();
    }

    /** The listed kind of layer {@code index}; an unvalidated spec's gap fails with the reason, not an index. */
    private LayerKind listed(int index) {
        LayerKind kind = index >= 0 && index < layerKinds.size() ? layerKinds.get(index) : null;
        if (kind == null) {
            throw new IllegalArgumentException("layerKinds[" + index + "] is missing (the list has "
                    + layerKinds.size() + " entries for " + layers + " layers); validate the spec first");
        }
        return kind;
    }

    /** The blocks of layer {@code index}, whether the spec lists them or says them with denseLayers and kvHeads. */
    public LayerKind layerKind(int index) {
        return new LayerKind(isMoeLayer(index) ? LayerKind.Ffn.MOE : LayerKind.Ffn.DENSE, kvHeads(index));
    }

    /** Number of mixture-of-experts layers. */
    public int moeLayers() {
        int count = 0;
        for (int i = 0; i < layers; i++) {
            count += isMoeLayer(i) ? 1 : 0;
        }
        return count;
    }

    /**
     * This spec with {@code kinds} as its layers (their count becomes {@code layers}). When they can be said the
     * old way (dense layers first, one kv-head count), the result says them so, without a list, so files stay
     * readable by older readers; otherwise the list is kept, {@code denseLayers} counts the leading dense layers
     * and {@code kvHeads} stays as it was.
     */
    public ModelSpec withLayerKinds(List<LayerKind> kinds) {
        int dense = 0;
        while (dense < kinds.size() && kinds.get(dense).ffn() == LayerKind.Ffn.DENSE) {
            dense++;
        }
        boolean uniform = !kinds.isEmpty();
        for (int i = 0; i < kinds.size(); i++) {
            uniform &= kinds.get(i).kvHeads() == kinds.get(0).kvHeads()
                    && (i < dense || kinds.get(i).ffn() == LayerKind.Ffn.MOE);
        }
        // with no moe section a MOE entry cannot be said the old way: keep the list, so validation names it
        uniform &= moe != null || dense == kinds.size();
        return uniform
                ? new ModelSpec(vocabSize, dModel, kinds.size(), heads, kinds.get(0).kvHeads(), headDim, ropeTheta,
                        maxSeqLen, normEps, dropout, tiedEmbeddings, dense, ffnHidden, moe, null)
                : new ModelSpec(vocabSize, dModel, kinds.size(), heads, kvHeads, headDim, ropeTheta, maxSeqLen,
                        normEps, dropout, tiedEmbeddings, dense, ffnHidden, moe, kinds);
    }
}
