package org.r1wb.model.spec;

/**
 * What a spec costs before it is built: parameters, compute per token and training memory, summed layer by layer
 * (each with its own FFN and kv heads when the spec lists {@link ModelSpec#layerKinds()}).
 *
 * @param totalParams          every trainable parameter (the routers' selection biases are state, not parameters)
 * @param activeParamsPerToken parameters one token touches: all but the {@code E − K} unchosen experts per MoE layer
 * @param trainingFlopsPerToken forward + backward FLOPs per token: {@code 6 · N_matmul + 12 · L · H · headDim · T}
 *                             (the PaLM count, with {@code T = maxSeqLen} and N_matmul the active parameters minus
 *                             an untied embedding table, which is a lookup, not a matmul)
 * @param weightBytes          fp32 weights
 * @param gradientBytes        fp32 gradients
 * @param optimizerBytes       AdamW's two fp32 moments per parameter
 */
public record ModelEstimates(
        long totalParams,
        long activeParamsPerToken,
        double trainingFlopsPerToken,
        long weightBytes,
        long gradientBytes,
        long optimizerBytes) {

    /** Weights, gradients and optimizer state together (activations excluded: they depend on batch and sequence). */
    public long trainingStateBytes() {
        return weightBytes + gradientBytes + optimizerBytes;
    }

    /**
     * Rough fp32 activation memory one training step keeps for its backward pass at {@code batch} × {@code seq}
     * tokens. Per token and layer: the attention's input, norm, q, k, v and context (6·D) and its score and
     * probability maps (2·H·seq); the FFN's norm and output (2·D) and, per active expert unit (the top-K routed and
     * the shared ones, or the dense FFN), its gate, up and gated product (3 × hidden). Per token once: the logits
     * and their log-softmax (2·V). Framework temporaries come on top, so treat it as a floor.
     */
    public static long activationBytes(ModelSpec spec, int batch, int seq) {
        long perToken = 2L * spec.vocabSize();
        for (int layer = 0; layer < spec.layers(); layer++) {
            long ffn = spec.isMoeLayer(layer)
                    ? 3L * (spec.moe().topK() + spec.moe().sharedExperts()) * spec.moe().expertHidden()
                    : 3L * spec.ffnHidden();
            perToken += 8L * spec.dModel() + 2L * spec.heads() * seq + ffn;
        }
        return 4L * batch * seq * perToken;
    }

    /** Estimates for a valid spec. */
    public static ModelEstimates of(ModelSpec spec) {
        long d = spec.dModel();
        long v = spec.vocabSize();
        long embedding = v * d;
        long head = spec.tiedEmbeddings() ? 0 : v * d;
        long norms = 2 * d;
        long total = embedding + head + d;                          // + final norm
        long inactive = 0;
        for (int layer = 0; layer < spec.layers(); layer++) {
            long attention = d * spec.heads() * spec.headDim()      // query
                    + 2 * d * spec.kvHeads(layer) * spec.headDim()  // key, value: this layer's kv heads
                    + (long) spec.heads() * spec.headDim() * d;      // output
            total += attention + norms;
            if (spec.isMoeLayer(layer)) {
                MoeSpec moe = spec.moe();
                long expert = 3 * d * moe.expertHidden();
                total += (long) moe.routedExperts() * d                       // router
                        + (long) (moe.routedExperts() + moe.sharedExperts()) * expert;
                inactive += (long) (moe.routedExperts() - moe.topK()) * expert;
            } else {
                total += 3 * d * spec.ffnHidden();
            }
        }
        long active = total - inactive;
        long matmulParams = active - (spec.tiedEmbeddings() ? 0 : embedding);
        double attentionFlops = 12.0 * spec.layers() * spec.heads() * spec.headDim() * spec.maxSeqLen();
        double flops = 6.0 * matmulParams + attentionFlops;
        return new ModelEstimates(total, active, flops, 4 * total, 4 * total, 8 * total);
    }
}
