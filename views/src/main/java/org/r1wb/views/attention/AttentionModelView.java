package org.r1wb.views.attention;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The model view: a layers × heads grid of attention-matrix thumbnails (query rows, key columns, colour =
 * weight on a fixed 0–1 scale, so heads compare). Clicking a thumbnail selects it and shows it enlarged,
 * with the token text on both axes.
 */
public class AttentionModelView extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "attention-model-view";

    /**
     * A head of a layer.
     *
     * @param layer the layer index
     * @param head  the head index
     */
    public record HeadRef(int layer, int head) {
    }

    private final ObjectProperty<AttentionSet> attention =
            new SimpleObjectProperty<>(this, "attention", new AttentionSet());
    private final ObjectProperty<HeadRef> selected = new SimpleObjectProperty<>(this, "selected");

    public AttentionModelView() {
        getStyleClass().add(STYLE_CLASS);
    }

    /** The captures drawn. */
    public ObjectProperty<AttentionSet> attentionProperty() {
        return attention;
    }

    /** The enlarged head, or {@code null}. */
    public ObjectProperty<HeadRef> selectedProperty() {
        return selected;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new AttentionModelViewSkin(this);
    }
}
