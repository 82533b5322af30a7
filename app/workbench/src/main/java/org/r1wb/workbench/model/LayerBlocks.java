package org.r1wb.workbench.model;

import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Edits of a spec's layers, one at a time or by range: the FFN (dense SwiGLU / MoE) and the attention (MHA / GQA /
 * MQA) of each layer, and adding, duplicating, removing and moving layers. Each edit works on the spec's
 * {@link ModelSpec#layerKind per-layer kinds} and writes them back through {@link ModelSpec#withLayerKinds}, so a
 * layout the old fields can say stays without a {@code layerKinds} list. No JavaFX here: the strip and the tests
 * call the same methods.
 */
public final class LayerBlocks {

    /**
     * A block of the palette: an FFN or an attention, placed on layers.
     *
     * @param label   what the palette shows ("MoE FFN", "GQA (2 kv heads)")
     * @param ffn     the FFN it gives a layer; null for an attention block
     * @param kvHeads the kv heads it gives a layer's attention; 0 for an FFN block
     */
    public record Block(String label, LayerKind.Ffn ffn, int kvHeads) {

        /** The FFN block of {@code kind}. */
        public static Block ffn(LayerKind.Ffn kind) {
            return new Block(ffnLabel(kind), kind, 0);
        }

        /** The attention block with {@code kvHeads} of {@code heads} key/value heads. */
        public static Block attention(int heads, int kvHeads) {
            return new Block(attentionName(heads, kvHeads), null, kvHeads);
        }

        /** Whether this is an attention block. */
        public boolean isAttention() {
            return ffn == null;
        }

        LayerKind applyTo(LayerKind kind) {
            return isAttention() ? kind.withKvHeads(kvHeads) : kind.withFfn(ffn);
        }
    }

    /**
     * The outcome of an edit: the new spec and the undo label, or the refusal.
     *
     * @param spec    the spec after the edit; null when refused
     * @param label   what the edit did (the undo label), or why it was refused
     * @param refused whether the edit cannot be made
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

    /** The palette for {@code spec}: the two FFNs, then every attention its query heads allow, MHA first. */
    public static List<Block> palette(ModelSpec spec) {
        List<Block> blocks = new ArrayList<>();
        for (LayerKind.Ffn ffn : LayerKind.Ffn.values()) {
            blocks.add(Block.ffn(ffn));
        }
        for (int kv = spec.heads(); kv >= 1; kv--) {
            if (spec.heads() % kv == 0) {
                blocks.add(Block.attention(spec.heads(), kv));
            }
        }
        return blocks;
    }

    /** Every layer's kinds, in order. */
    public static List<LayerKind> kinds(ModelSpec spec) {
        List<LayerKind> kinds = new ArrayList<>();
        for (int i = 0; i < spec.layers(); i++) {
            kinds.add(spec.layerKind(i));
        }
        return kinds;
    }

    /** Places {@code block} on layers {@code from}–{@code to} (0-based, inclusive). */
    public static Change place(ModelSpec spec, int from, int to, Block block) {
        if (from < 0 || to >= spec.layers() || from > to) {
            return Change.refusal("layers " + range(from, to) + " are not in 0–" + (spec.layers() - 1));
        }
        String what = (from == to ? "Layer " : "Layers ") + range(from, to) + ": " + block.label();
        if (block.ffn() == LayerKind.Ffn.MOE && spec.moe() == null) {
            return Change.refusal(what + ": this model has no MoE settings; pick the small-MoE preset or add a "
                    + "\"moe\" object in the JSON first");
        }
        if (block.isAttention() && (block.kvHeads() < 1 || spec.heads() % block.kvHeads() != 0)) {
            return Change.refusal(what + ": " + block.kvHeads() + " kv heads do not divide " + spec.heads()
                    + " query heads");
        }
        List<LayerKind> kinds = kinds(spec);
        for (int i = from; i <= to; i++) {
            kinds.set(i, block.applyTo(kinds.get(i)));
        }
        return Change.to(spec.withLayerKinds(kinds), what);
    }

    /** Gives layers {@code from}–{@code to} the FFN {@code kind}. */
    public static Change ffn(ModelSpec spec, int from, int to, LayerKind.Ffn kind) {
        return place(spec, from, to, Block.ffn(kind));
    }

    /** Gives layers {@code from}–{@code to} attention with {@code kvHeads} key/value heads. */
    public static Change attention(ModelSpec spec, int from, int to, int kvHeads) {
        return place(spec, from, to, Block.attention(spec.heads(), kvHeads));
    }

    /** Moves layer {@code from} so that it ends at position {@code to}; the layers between shift by one. */
    public static Change move(ModelSpec spec, int from, int to) {
        if (from < 0 || from >= spec.layers() || to < 0 || to >= spec.layers()) {
            return Change.refusal("cannot move layer " + from + " to " + to + ": layers are 0–" + (spec.layers() - 1));
        }
        if (from == to) {
            return Change.refusal("layer " + from + " is already at position " + to);
        }
        List<LayerKind> kinds = kinds(spec);
        kinds.add(to, kinds.remove(from));
        return Change.to(spec.withLayerKinds(kinds), "Move layer " + from + " to " + to);
    }

    /** A copy of layer {@code index} inserted after it. */
    public static Change duplicate(ModelSpec spec, int index) {
        List<LayerKind> kinds = kinds(spec);
        kinds.add(index + 1, kinds.get(index));
        return Change.to(spec.withLayerKinds(kinds), "Duplicate layer " + index);
    }

    /** A layer like the last one, appended. */
    public static Change add(ModelSpec spec) {
        List<LayerKind> kinds = kinds(spec);
        kinds.add(kinds.get(kinds.size() - 1));
        return Change.to(spec.withLayerKinds(kinds), "Add layer " + spec.layers());
    }

    /** Layer {@code index} removed. */
    public static Change remove(ModelSpec spec, int index) {
        if (spec.layers() == 1) {
            return Change.refusal("a model needs at least one layer");
        }
        List<LayerKind> kinds = kinds(spec);
        kinds.remove(index);
        return Change.to(spec.withLayerKinds(kinds), "Remove layer " + index);
    }

    /** "MHA", "MQA" or "GQA (k kv heads)". */
    public static String attentionName(int heads, int kvHeads) {
        return kvHeads == heads ? "MHA" : kvHeads == 1 ? "MQA" : "GQA (" + kvHeads + " kv heads)";
    }

    /** "dense SwiGLU FFN" or "MoE FFN". */
    public static String ffnLabel(LayerKind.Ffn ffn) {
        return ffn == LayerKind.Ffn.DENSE ? "dense SwiGLU FFN" : "MoE FFN";
    }

    static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "–" + to;
    }
}
