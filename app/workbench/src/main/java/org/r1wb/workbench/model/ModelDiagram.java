package org.r1wb.workbench.model;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;

import java.util.Locale;

/**
 * The model drawn as a block diagram, top to bottom: token ids → embedding → the decoder layers (each run of
 * consecutive layers with the same blocks drawn once) → final norm → head, with the tensor shape on every edge
 * (B = batch, T = tokens).
 */
public final class ModelDiagram extends VBox {

    public ModelDiagram() {
        getStyleClass().add("model-diagram");
        setAlignment(Pos.TOP_CENTER);
        setSpacing(0);
    }

    /** Redraws for {@code spec}; null shows why nothing can be drawn. */
    public void show(ModelSpec spec, String problem) {
        getChildren().clear();
        if (spec == null) {
            getChildren().add(block("Cannot draw the model", problem, "block-invalid"));
            return;
        }
        String hidden = "[B, T, " + spec.dModel() + "]";
        getChildren().add(block("Token ids", "vocabulary " + spec.vocabSize(), "block-io"));
        getChildren().add(edge("[B, T]"));
        getChildren().add(block("Embedding", spec.vocabSize() + " × " + spec.dModel()
                + (spec.tiedEmbeddings() ? "  (tied with the head)" : ""), "block-embedding"));
        getChildren().add(edge(hidden));
        int first = 0;
        while (first < spec.layers()) {
            LayerKind kind = spec.layerKind(first);
            int end = first + 1;
            while (end < spec.layers() && spec.layerKind(end).equals(kind)) {
                end++;
            }
            getChildren().add(layerRun(spec, kind, first, end));
            getChildren().add(edge(kind.ffn() == LayerKind.Ffn.MOE
                    ? hidden + "   · routing [B·T, " + spec.moe().topK() + "]" : hidden));
            first = end;
        }
        getChildren().add(block("RMSNorm → LM head", spec.dModel() + " → " + spec.vocabSize(), "block-head"));
        getChildren().add(edge("[B, T, " + spec.vocabSize() + "]"));
        getChildren().add(block("Next-token logits", "cross-entropy against the shifted ids", "block-io"));
    }

    /** Layers {@code from} to {@code to} (exclusive), which all have {@code kind}, as one block. */
    private static Label layerRun(ModelSpec spec, LayerKind kind, int from, int to) {
        String attention = "RMSNorm → " + attention(spec, kind.kvHeads());
        if (kind.ffn() == LayerKind.Ffn.DENSE) {
            return block(range("Dense block", from, to), attention + "\nRMSNorm → SwiGLU FFN " + spec.dModel() + " → "
                    + spec.ffnHidden() + " → " + spec.dModel(), "block-dense");
        }
        MoeSpec moe = spec.moe();
        return block(range("MoE block", from, to), attention + "\nRMSNorm → router ("
                + moe.gate().name().toLowerCase(Locale.ROOT) + ", top-" + moe.topK() + " of " + moe.routedExperts()
                + ", " + moe.balancing().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")"
                + "\n" + moe.routedExperts() + " routed + " + moe.sharedExperts() + " shared experts, SwiGLU "
                + moe.expertHidden() + " wide", "block-moe");
    }

    private static String attention(ModelSpec spec, int kvHeads) {
        String kind = kvHeads == spec.heads() ? "MHA" : kvHeads == 1 ? "MQA" : "GQA";
        return kind + " " + spec.heads() + "×" + spec.headDim() + (kvHeads == spec.heads() ? ""
                : " (" + kvHeads + " kv)") + ", RoPE θ " + format(spec.ropeTheta());
    }

    private static String range(String name, int from, int to) {
        int count = to - from;
        return count == 1 ? name + " · layer " + from : name + " × " + count + " · layers " + from + "–" + (to - 1);
    }

    private static Label block(String title, String detail, String style) {
        Label label = new Label(title + "\n" + detail);
        label.getStyleClass().addAll("model-block", style);
        label.setWrapText(true);
        label.setMaxWidth(420);
        label.setMinWidth(420);
        return label;
    }

    private static Label edge(String shape) {
        Label label = new Label("│  " + shape);
        label.getStyleClass().add("model-edge");
        label.setMinWidth(420);
        return label;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
