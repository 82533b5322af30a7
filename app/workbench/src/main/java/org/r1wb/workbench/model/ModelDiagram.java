package org.r1wb.workbench.model;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;

import java.util.Locale;

/**
 * The model drawn as a block diagram, top to bottom: token ids → embedding → the dense blocks → the MoE blocks
 * → final norm → head, with the tensor shape on every edge (B = batch, T = tokens).
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
        String attention = attention(spec);
        int dense = Math.min(spec.denseLayers(), spec.layers());
        if (dense > 0) {
            getChildren().add(block(range("Dense block", 0, dense),
                    "RMSNorm → " + attention + "\nRMSNorm → SwiGLU FFN " + spec.dModel() + " → " + spec.ffnHidden()
                            + " → " + spec.dModel(), "block-dense"));
            getChildren().add(edge(hidden));
        }
        int moeLayers = spec.moeLayers();
        if (moeLayers > 0) {
            MoeSpec moe = spec.moe();
            getChildren().add(block(range("MoE block", dense, spec.layers()),
                    "RMSNorm → " + attention + "\nRMSNorm → router (" + moe.gate().name().toLowerCase(Locale.ROOT)
                            + ", top-" + moe.topK() + " of " + moe.routedExperts() + ", "
                            + moe.balancing().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")"
                            + "\n" + moe.routedExperts() + " routed + " + moe.sharedExperts() + " shared experts, SwiGLU "
                            + moe.expertHidden() + " wide", "block-moe"));
            getChildren().add(edge("[B, T, " + spec.dModel() + "]   · routing [B·T, " + moe.topK() + "]"));
        }
        getChildren().add(block("RMSNorm → LM head", spec.dModel() + " → " + spec.vocabSize(), "block-head"));
        getChildren().add(edge("[B, T, " + spec.vocabSize() + "]"));
        getChildren().add(block("Next-token logits", "cross-entropy against the shifted ids", "block-io"));
    }

    private static String attention(ModelSpec spec) {
        String kind = spec.kvHeads() == spec.heads() ? "MHA" : spec.kvHeads() == 1 ? "MQA" : "GQA";
        return kind + " " + spec.heads() + "×" + spec.headDim() + (spec.kvHeads() == spec.heads() ? ""
                : " (" + spec.kvHeads() + " kv)") + ", RoPE θ " + format(spec.ropeTheta());
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
