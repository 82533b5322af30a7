package org.r1wb.workbench.model;

import org.r1wb.model.spec.ModelSpec;

/**
 * Per-layer block choices, as far as a {@link ModelSpec} can write them. The spec has one attention shape for every
 * layer ({@code heads}, {@code kvHeads}) and one FFN split: the first {@code denseLayers} layers use the dense
 * SwiGLU FFN, the rest the MoE one (DeepSeek-V3's layout). So an FFN choice must keep the dense layers first, and an
 * attention choice applies to every layer; a choice that cannot be written is refused with the reason.
 */
public final class LayerBlocks {

    /** The FFN of a layer. */
    public enum Ffn {
        DENSE("dense SwiGLU FFN"), MOE("MoE FFN");

        private final String label;

        Ffn(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The outcome of a choice: the new spec and the undo label, or the refusal.
     *
     * @param spec    the spec after the choice; null when refused
     * @param label   what the choice did (the undo label), or why it was refused
     * @param refused whether the spec cannot express the choice
     */
    public record Change(ModelSpec spec, String label, boolean refused) {

        static Change to(ModelSpec spec, String label) {
            return new Change(spec, label, false);
        }

        static Change refusal(String why) {
            return new Change(null, why, true);
        }
    }

    private LayerBlocks() {
    }

    /** The FFN layer {@code index} has. */
    public static Ffn ffnOf(ModelSpec spec, int index) {
        return spec.isMoeLayer(index) ? Ffn.MOE : Ffn.DENSE;
    }

    /** The widest range of layers that can take {@code kind} so that layer {@code index} has it: [from, to]. */
    public static int[] rangeFor(ModelSpec spec, int index, Ffn kind) {
        int dense = Math.min(spec.denseLayers(), spec.layers());
        return kind == Ffn.DENSE ? new int[] {Math.min(dense, index), index}
                : new int[] {index, Math.max(index, dense - 1)};
    }

    /** Gives layers {@code from}–{@code to} (0-based, inclusive) the FFN {@code kind}. */
    public static Change ffn(ModelSpec spec, int from, int to, Ffn kind) {
        int dense = Math.min(spec.denseLayers(), spec.layers());
        if (from < 0 || to >= spec.layers() || from > to) {
            return Change.refusal("layers " + range(from, to) + " are not in 0–" + (spec.layers() - 1));
        }
        String what = (from == to ? "Layer " : "Layers ") + range(from, to) + ": " + kind.label();
        if (kind == Ffn.DENSE) {
            if (from > dense) {
                return Change.refusal(what + " would put dense layers after MoE layers " + range(dense, from - 1)
                        + "; the spec keeps the dense layers first (denseLayers), so choose layers "
                        + range(dense, to));
            }
            return Change.to(with(spec, spec.layers(), Math.max(dense, to + 1), spec.kvHeads()), what);
        }
        if (spec.moe() == null) {
            return Change.refusal(what + ": this model has no MoE settings; pick the small-MoE preset or add a "
                    + "\"moe\" object in the JSON first");
        }
        if (to < dense - 1) {
            return Change.refusal(what + " would leave dense layers " + range(to + 1, dense - 1)
                    + " after them; the spec keeps the dense layers first, so choose layers " + range(from, dense - 1));
        }
        return Change.to(with(spec, spec.layers(), Math.min(dense, from), spec.kvHeads()), what);
    }

    /** Every layer's attention gets {@code kvHeads} key/value heads: {@code heads} is MHA, fewer is GQA. */
    public static Change attention(ModelSpec spec, int kvHeads) {
        if (kvHeads < 1 || spec.heads() % kvHeads != 0) {
            return Change.refusal(kvHeads + " kv heads do not divide " + spec.heads() + " query heads");
        }
        return Change.to(with(spec, spec.layers(), spec.denseLayers(), kvHeads),
                "All layers: " + attentionName(spec.heads(), kvHeads));
    }

    /** A copy of layer {@code index} inserted after it. */
    public static Change duplicate(ModelSpec spec, int index) {
        int dense = spec.denseLayers() + (index < spec.denseLayers() ? 1 : 0);
        return Change.to(with(spec, spec.layers() + 1, dense, spec.kvHeads()), "Duplicate layer " + index);
    }

    /** Layer {@code index} removed. */
    public static Change remove(ModelSpec spec, int index) {
        if (spec.layers() == 1) {
            return Change.refusal("a model needs at least one layer");
        }
        int dense = spec.denseLayers() - (index < spec.denseLayers() ? 1 : 0);
        return Change.to(with(spec, spec.layers() - 1, dense, spec.kvHeads()), "Remove layer " + index);
    }

    /** "MHA", "MQA" or "GQA (k kv heads)". */
    public static String attentionName(int heads, int kvHeads) {
        return kvHeads == heads ? "MHA" : kvHeads == 1 ? "MQA" : "GQA (" + kvHeads + " kv heads)";
    }

    static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "–" + to;
    }

    private static ModelSpec with(ModelSpec s, int layers, int denseLayers, int kvHeads) {
        return new ModelSpec(s.vocabSize(), s.dModel(), layers, s.heads(), kvHeads, s.headDim(), s.ropeTheta(),
                s.maxSeqLen(), s.normEps(), s.dropout(), s.tiedEmbeddings(), denseLayers, s.ffnHidden(), s.moe());
    }
}
