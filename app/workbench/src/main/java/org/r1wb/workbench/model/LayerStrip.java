package org.r1wb.workbench.model;

import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.r1wb.model.spec.ModelSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One chip per layer (D = dense SwiGLU FFN, M = MoE FFN), each with a context menu that chooses its FFN, every
 * layer's attention, or duplicates or removes it; and a range row ("layers 3–23: MoE FFN") for many at once.
 * Choices go to {@code apply} as {@link LayerBlocks.Change}s; the editor turns them into undoable commands.
 */
public final class LayerStrip extends VBox {

    static final String CHIP = "layer-chip";

    private final Consumer<LayerBlocks.Change> apply;
    private final FlowPane chips = new FlowPane(4, 4);
    private final Spinner<Integer> from = new Spinner<>(0, 0, 0);
    private final Spinner<Integer> to = new Spinner<>(0, 0, 0);
    private final ChoiceBox<LayerBlocks.Ffn> kind = new ChoiceBox<>();
    private ModelSpec spec;

    public LayerStrip(Consumer<LayerBlocks.Change> apply) {
        this.apply = apply;
        getStyleClass().add("layer-strip");
        setSpacing(6);
        setMaxWidth(420);
        Label caption = new Label("Layers — right-click a layer to choose its blocks");
        caption.getStyleClass().add("layer-strip-caption");
        kind.getItems().setAll(LayerBlocks.Ffn.values());
        kind.setValue(LayerBlocks.Ffn.DENSE);
        kind.setConverter(new StringConverter<>() {
            @Override
            public String toString(LayerBlocks.Ffn ffn) {
                return ffn == null ? "" : ffn.label();
            }

            @Override
            public LayerBlocks.Ffn fromString(String text) {
                return null;
            }
        });
        for (Spinner<Integer> s : List.of(from, to)) {
            s.setPrefWidth(64);
            s.setMinWidth(64);
            s.getStyleClass().add(Styles.SMALL);
        }
        kind.setPrefWidth(150);
        Button applyRange = new Button("Apply");
        applyRange.getStyleClass().addAll(Styles.SMALL);
        applyRange.setOnAction(e -> applyRange());
        Label layersLabel = new Label("Layers");
        Label dash = new Label("–");
        for (Control fixed : List.of(layersLabel, dash, applyRange)) {
            fixed.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox range = new HBox(6, layersLabel, from, dash, to, kind, applyRange);
        range.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(caption, chips, range);
    }

    /** Redraws the chips for {@code next}; null (an invalid spec) disables the strip. */
    public void show(ModelSpec next) {
        spec = next;
        chips.getChildren().clear();
        setDisable(next == null);
        if (next == null) {
            return;
        }
        for (int i = 0; i < next.layers(); i++) {
            chips.getChildren().add(chip(i));
        }
        int last = next.layers() - 1;
        for (Spinner<Integer> s : List.of(from, to)) {
            ((SpinnerValueFactory.IntegerSpinnerValueFactory) s.getValueFactory()).setMax(last);
        }
    }

    /** The chip of layer {@code index}, for tests and screenshots. */
    public Label layerChip(int index) {
        return (Label) chips.getChildren().get(index);
    }

    /** Applies the range row: layers {@code from}–{@code to} get the chosen FFN. */
    public void chooseRange(int first, int last, LayerBlocks.Ffn ffn) {
        if (spec != null) {
            apply.accept(LayerBlocks.ffn(spec, first, last, ffn));
        }
    }

    private void applyRange() {
        chooseRange(from.getValue(), to.getValue(), kind.getValue());
    }

    private Label chip(int index) {
        LayerBlocks.Ffn ffn = LayerBlocks.ffnOf(spec, index);
        String attention = LayerBlocks.attentionName(spec.heads(), spec.kvHeads());
        Label chip = new Label(index + (ffn == LayerBlocks.Ffn.DENSE ? " D" : " M"));
        chip.getStyleClass().addAll(CHIP, ffn == LayerBlocks.Ffn.DENSE ? "layer-dense" : "layer-moe");
        chip.setTooltip(new Tooltip("Layer " + index + ": " + attention + " → " + ffn.label()));
        chip.setContextMenu(menu(index, ffn));
        return chip;
    }

    private ContextMenu menu(int index, LayerBlocks.Ffn current) {
        List<MenuItem> items = new ArrayList<>();
        for (LayerBlocks.Ffn ffn : LayerBlocks.Ffn.values()) {
            int[] r = LayerBlocks.rangeFor(spec, index, ffn);
            String layers = r[0] == r[1] ? "" : " · layers " + LayerBlocks.range(r[0], r[1]);
            MenuItem item = new MenuItem(cap(ffn.label()) + layers);
            item.setDisable(ffn == current);
            item.setOnAction(e -> apply.accept(LayerBlocks.ffn(spec, r[0], r[1], ffn)));
            items.add(item);
        }
        items.add(new SeparatorMenuItem());
        for (int kv = spec.heads(); kv >= 1; kv--) {
            if (spec.heads() % kv == 0) {
                int k = kv;
                MenuItem item = new MenuItem("Attention " + LayerBlocks.attentionName(spec.heads(), kv)
                        + " · all layers");
                item.setDisable(kv == spec.kvHeads());
                item.setOnAction(e -> apply.accept(LayerBlocks.attention(spec, k)));
                items.add(item);
            }
        }
        items.add(new SeparatorMenuItem());
        MenuItem duplicate = new MenuItem("Duplicate layer " + index);
        duplicate.setOnAction(e -> apply.accept(LayerBlocks.duplicate(spec, index)));
        MenuItem remove = new MenuItem("Remove layer " + index);
        remove.setDisable(spec.layers() == 1);
        remove.setOnAction(e -> apply.accept(LayerBlocks.remove(spec, index)));
        items.add(duplicate);
        items.add(remove);
        return new ContextMenu(items.toArray(MenuItem[]::new));
    }

    private static String cap(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
