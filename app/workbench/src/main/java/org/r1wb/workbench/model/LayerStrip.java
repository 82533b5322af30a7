package org.r1wb.workbench.model;

import atlantafx.base.theme.Styles;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
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
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The layers as chips (D = dense SwiGLU FFN, M = MoE FFN, then the attention when it is not MHA) above a palette of
 * blocks. Drag a chip onto another to move that layer there; drag a palette block onto a chip to give that layer
 * the block; right-click a chip for its blocks, duplicate or remove; the range row ("layers 3–23: MoE FFN") places
 * a block on many layers at once. Every edit goes to {@code apply} as a {@link LayerBlocks.Change}; the editor
 * turns it into an undoable command.
 */
public final class LayerStrip extends VBox {

    static final String CHIP = "layer-chip";
    static final String PALETTE_BLOCK = "palette-block";
    private static final PseudoClass DROP_TARGET = PseudoClass.getPseudoClass("drop-target");

    private final Consumer<LayerBlocks.Change> apply;
    private final FlowPane chips = new FlowPane(4, 4);
    private final FlowPane palette = new FlowPane(4, 4);
    private final Spinner<Integer> from = new Spinner<>(0, 0, 0);
    private final Spinner<Integer> to = new Spinner<>(0, 0, 0);
    private final ChoiceBox<LayerBlocks.Block> block = new ChoiceBox<>();
    private ModelSpec spec;

    public LayerStrip(Consumer<LayerBlocks.Change> apply) {
        this.apply = apply;
        getStyleClass().add("layer-strip");
        setSpacing(6);
        setMaxWidth(420);
        Label caption = new Label("Layers — drag a layer to move it, a block onto a layer to use it; right-click for more");
        caption.getStyleClass().add("layer-strip-caption");
        caption.setWrapText(true);
        Button add = new Button("+ Layer");
        add.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        add.setTooltip(new Tooltip("Append a layer like the last one"));
        add.setOnAction(e -> {
            if (spec != null) {
                apply.accept(LayerBlocks.add(spec));
            }
        });
        Label paletteCaption = new Label("Blocks");
        paletteCaption.getStyleClass().add("layer-strip-caption");
        block.setConverter(new StringConverter<>() {
            @Override
            public String toString(LayerBlocks.Block b) {
                return b == null ? "" : b.label();
            }

            @Override
            public LayerBlocks.Block fromString(String text) {
                return null;
            }
        });
        for (Spinner<Integer> s : List.of(from, to)) {
            s.setPrefWidth(64);
            s.setMinWidth(64);
            s.getStyleClass().add(Styles.SMALL);
        }
        block.setPrefWidth(150);
        Button applyRange = new Button("Apply");
        applyRange.getStyleClass().addAll(Styles.SMALL);
        applyRange.setOnAction(e -> applyRange());
        Label layersLabel = new Label("Layers");
        Label dash = new Label("–");
        for (Control fixed : List.of(layersLabel, dash, applyRange, add)) {
            fixed.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox range = new HBox(6, layersLabel, from, dash, to, block, applyRange);
        range.setAlignment(Pos.CENTER_LEFT);
        HBox layerRow = new HBox(6, chips, add);
        layerRow.setAlignment(Pos.TOP_LEFT);
        chips.setPrefWrapLength(340); // leaves room for "+ Layer" in the 420 px strip, so many layers wrap
        HBox.setHgrow(chips, Priority.ALWAYS);
        getChildren().addAll(caption, layerRow, paletteCaption, palette, range);
    }

    /** Redraws the chips and the palette for {@code next}; null (an invalid spec) disables the strip. */
    public void show(ModelSpec next) {
        spec = next;
        chips.getChildren().clear();
        palette.getChildren().clear();
        setDisable(next == null);
        if (next == null) {
            return;
        }
        for (int i = 0; i < next.layers(); i++) {
            chips.getChildren().add(chip(i));
        }
        List<LayerBlocks.Block> blocks = LayerBlocks.palette(next);
        for (LayerBlocks.Block b : blocks) {
            palette.getChildren().add(paletteBlock(b));
        }
        LayerBlocks.Block chosen = block.getValue();
        block.getItems().setAll(blocks);
        block.setValue(blocks.contains(chosen) ? chosen : blocks.get(0));
        int last = next.layers() - 1;
        for (Spinner<Integer> s : List.of(from, to)) {
            ((SpinnerValueFactory.IntegerSpinnerValueFactory) s.getValueFactory()).setMax(last);
        }
    }

    /** The chip of layer {@code index}, for tests and screenshots. */
    public Label layerChip(int index) {
        return (Label) chips.getChildren().get(index);
    }

    /** The palette's block labelled {@code label} ("MoE FFN", "MHA", "GQA (2 kv heads)"). */
    public Label paletteBlock(String label) {
        return palette.getChildren().stream().map(Label.class::cast).filter(l -> l.getText().equals(label))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no palette block " + label));
    }

    /** Applies the range row: layers {@code first}–{@code last} get {@code chosen}. */
    public void chooseRange(int first, int last, LayerBlocks.Block chosen) {
        if (spec != null) {
            apply.accept(LayerBlocks.place(spec, first, last, chosen));
        }
    }

    private void applyRange() {
        chooseRange(from.getValue(), to.getValue(), block.getValue());
    }

    private Label chip(int index) {
        LayerKind kind = spec.layerKind(index);
        String attention = LayerBlocks.attentionName(spec.heads(), kind.kvHeads());
        boolean dense = kind.ffn() == LayerKind.Ffn.DENSE;
        String tag = kind.kvHeads() == spec.heads() ? "" : kind.kvHeads() == 1 ? " · MQA" : " · GQA" + kind.kvHeads();
        Label chip = new Label(index + (dense ? " D" : " M") + tag);
        chip.getStyleClass().addAll(CHIP, dense ? "layer-dense" : "layer-moe");
        chip.setTooltip(new Tooltip("Layer " + index + ": " + attention + " → " + LayerBlocks.ffnLabel(kind.ffn())
                + "\nDrag onto another layer to move it there"));
        chip.setContextMenu(menu(index, kind));
        onDrop(chip, target -> apply.accept(LayerBlocks.move(spec, index, target)));
        return chip;
    }

    private Label paletteBlock(LayerBlocks.Block b) {
        Label chip = new Label(b.label());
        chip.getStyleClass().addAll(CHIP, PALETTE_BLOCK, b.isAttention() ? "palette-attention"
                : b.ffn() == LayerKind.Ffn.DENSE ? "layer-dense" : "layer-moe");
        chip.setTooltip(new Tooltip("Drag onto a layer to give it " + b.label()));
        onDrop(chip, target -> apply.accept(LayerBlocks.place(spec, target, target, b)));
        return chip;
    }

    /**
     * A press–drag–release gesture from {@code source} that ends over a layer chip calls {@code dropped} with that
     * layer; the chip under the pointer is highlighted on the way.
     */
    private void onDrop(Label source, Consumer<Integer> dropped) {
        source.setOnMousePressed(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                source.setCursor(Cursor.CLOSED_HAND);
            }
        });
        source.setOnMouseDragged(e -> {
            if (e.isPrimaryButtonDown()) {
                OptionalInt over = layerAt(e);
                for (int i = 0; i < chips.getChildren().size(); i++) {
                    Node chip = chips.getChildren().get(i);
                    chip.pseudoClassStateChanged(DROP_TARGET, chip != source && over.orElse(-1) == i);
                }
            }
        });
        source.setOnMouseReleased(e -> {
            source.setCursor(Cursor.DEFAULT);
            chips.getChildren().forEach(chip -> chip.pseudoClassStateChanged(DROP_TARGET, false));
            if (e.getButton() != MouseButton.PRIMARY || spec == null) {
                return;
            }
            OptionalInt over = layerAt(e);
            if (over.isPresent() && chips.getChildren().get(over.getAsInt()) != source) {
                dropped.accept(over.getAsInt());
            }
        });
    }

    private OptionalInt layerAt(MouseEvent e) {
        for (int i = 0; i < chips.getChildren().size(); i++) {
            Node chip = chips.getChildren().get(i);
            Bounds bounds = chip.localToScene(chip.getBoundsInLocal());
            if (bounds.contains(e.getSceneX(), e.getSceneY())) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private ContextMenu menu(int index, LayerKind current) {
        List<MenuItem> items = new ArrayList<>();
        for (LayerBlocks.Block b : LayerBlocks.palette(spec)) {
            if (b.isAttention() && items.stream().noneMatch(SeparatorMenuItem.class::isInstance)) {
                items.add(new SeparatorMenuItem());
            }
            MenuItem item = new MenuItem(cap(b.label()));
            item.setDisable(b.isAttention() ? b.kvHeads() == current.kvHeads() : b.ffn() == current.ffn());
            item.setOnAction(e -> apply.accept(LayerBlocks.place(spec, index, index, b)));
            items.add(item);
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
