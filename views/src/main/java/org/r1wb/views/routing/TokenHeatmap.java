package org.r1wb.views.routing;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The token heatmap of the probe text: tokens (columns, their text on the axis) × experts (rows) of one
 * layer, colour = gate weight. Hovering a token shows its top-k experts and their weights.
 */
public class TokenHeatmap extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "token-heatmap";
    /** The default number of experts listed on hover (DeepSeek-V3 routes each token to 8 of 256; small models to 2). */
    public static final int DEFAULT_TOP_K = 2;

    private final ObservableMap<Integer, TokenRouting> matrices = FXCollections.observableHashMap();
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final IntegerProperty topK = new SimpleIntegerProperty(this, "topK", DEFAULT_TOP_K);

    public TokenHeatmap() {
        getStyleClass().add(STYLE_CLASS);
    }

    /** The latest matrix of each layer, by layer. */
    public ObservableMap<Integer, TokenRouting> getMatrices() {
        return matrices;
    }

    /** The layer shown. */
    public IntegerProperty layerProperty() {
        return layer;
    }

    /** How many experts the hover read-out lists. */
    public IntegerProperty topKProperty() {
        return topK;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new TokenHeatmapSkin(this);
    }
}
