package org.r1wb.model.spec;

/**
 * Everything that fixes a DeepSeek-style decoder's shape: the file {@code models/*.model.json} on disk.
 * Validate with {@link SpecValidator}; size it with {@link ModelEstimates}.
 *
 * @param vocabSize      token ids the embedding accepts (V)
 * @param dModel         residual stream width (D)
 * @param layers         decoder blocks (L)
 * @param heads          query heads (H)
 * @param kvHeads        key/value heads; fewer than {@code heads} is grouped-query attention, which shrinks the KV cache
 * @param headDim        width of one head; even, because rotary embedding rotates pairs
 * @param ropeTheta      rotary base; larger bases stretch the usable context
 * @param maxSeqLen      longest sequence the rotary tables and attention mask cover (T max)
 * @param normEps        RMSNorm epsilon, guarding the reciprocal square root
 * @param dropout        dropout on embeddings, attention weights and residual branches (0 for pretraining at scale)
 * @param tiedEmbeddings whether the output head reuses the embedding matrix (saves V·D parameters)
 * @param denseLayers    how many of the first layers use a dense SwiGLU FFN; DeepSeek keeps the first ones dense
 *                       because routing is unstable on barely-mixed token representations
 * @param ffnHidden      hidden width of the dense SwiGLU FFN
 * @param moe            the mixture-of-experts FFN of the remaining layers; may be {@code null} when every layer is dense
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
        MoeSpec moe) {

    /** Whether layer {@code index} (0-based) uses the mixture-of-experts FFN. */
    public boolean isMoeLayer(int index) {
        return index >= denseLayers && moe != null;
    }

    /** Number of mixture-of-experts layers. */
    public int moeLayers() {
        return moe == null ? 0 : Math.max(0, layers - denseLayers);
    }
}
