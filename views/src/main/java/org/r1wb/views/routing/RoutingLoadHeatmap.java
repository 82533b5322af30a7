package org.r1wb.views.routing;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The expert-load heatmap of one MoE layer: experts (rows) × routing steps (columns), colour = the
 * share of the layer's routed slots that went to the expert. Beside it: the auxiliary-loss-free bias
 * per expert at the last (or hovered) step, and the load's coefficient of variation over the steps.
 */
public class RoutingLoadHeatmap extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "routing-load-heatmap";

    private final ObjectProperty<RoutingHistory> history =
            new SimpleObjectProperty<>(this, "history", new RoutingHistory());
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);

    public RoutingLoadHeatmap() {
        getStyleClass().add(STYLE_CLASS);
    }

    /** The routing samples drawn. */
    public ObjectProperty<RoutingHistory> historyProperty() {
        return history;
    }

    /** The layer shown. */
    public IntegerProperty layerProperty() {
        return layer;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new RoutingLoadHeatmapSkin(this);
    }
}
