package org.r1wb.views.attention;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The head view of one layer, as BertViz draws it: the probe tokens twice, queries on the left and keys
 * on the right, a line from each query to each key whose opacity is the attention weight, one colour per
 * head. Clicking a head's swatch shows that head alone; hovering a query token shows its lines alone.
 */
public class AttentionHeadView extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "attention-head-view";
    /** {@link #headProperty()} value that shows every head. */
    public static final int ALL_HEADS = -1;

    private final ObjectProperty<AttentionSet> attention =
            new SimpleObjectProperty<>(this, "attention", new AttentionSet());
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final IntegerProperty head = new SimpleIntegerProperty(this, "head", ALL_HEADS);

    public AttentionHeadView() {
        getStyleClass().add(STYLE_CLASS);
    }

    /** The captures drawn. */
    public ObjectProperty<AttentionSet> attentionProperty() {
        return attention;
    }

    /** The layer shown. */
    public IntegerProperty layerProperty() {
        return layer;
    }

    /** The one head shown, or {@link #ALL_HEADS}. */
    public IntegerProperty headProperty() {
        return head;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new AttentionHeadViewSkin(this);
    }
}
