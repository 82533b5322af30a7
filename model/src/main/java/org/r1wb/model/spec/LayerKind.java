package org.r1wb.model.spec;

/**
 * The blocks of one decoder layer, for specs whose layers differ from each other ({@link ModelSpec#layerKinds()}).
 *
 * @param ffn     the layer's feed-forward: a dense SwiGLU or the spec's mixture of experts
 * @param kvHeads the attention's key/value heads: {@link ModelSpec#heads()} is multi-head attention, fewer is
 *                grouped-query attention (a smaller KV cache for this layer), 1 is multi-query attention
 */
public record LayerKind(Ffn ffn, int kvHeads) {

    /** The feed-forward block of a layer. */
    public enum Ffn {
        /** A dense SwiGLU of {@link ModelSpec#ffnHidden()}. */
        DENSE,
        /** The mixture of experts of {@link ModelSpec#moe()}. */
        MOE
    }

    /** A dense layer with {@code kvHeads} key/value heads. */
    public static LayerKind dense(int kvHeads) {
        return new LayerKind(Ffn.DENSE, kvHeads);
    }

    /** A mixture-of-experts layer with {@code kvHeads} key/value heads. */
    public static LayerKind moe(int kvHeads) {
        return new LayerKind(Ffn.MOE, kvHeads);
    }

    /** This layer with another FFN. */
    public LayerKind withFfn(Ffn next) {
        return new LayerKind(next, kvHeads);
    }

    /** This layer with another attention. */
    public LayerKind withKvHeads(int next) {
        return new LayerKind(ffn, next);
    }
}
