package org.r1wb.workbench.inspect;

import javafx.beans.property.IntegerProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;

import java.util.SortedSet;

/** A labelled slider over the layers a run reported, snapping to whole layers, bound to a layer property. */
final class LayerSlider extends HBox {

    private final Slider slider = new Slider(0, 1, 0);
    private final Label value = new Label();

    LayerSlider(IntegerProperty layer) {
        super(8);
        setAlignment(Pos.CENTER_LEFT);
        slider.setMajorTickUnit(1);
        slider.setMinorTickCount(0);
        slider.setSnapToTicks(true);
        slider.setShowTickMarks(true);
        slider.setPrefWidth(200);
        slider.valueProperty().addListener((o, old, now) -> layer.set((int) Math.round(now.doubleValue())));
        layer.addListener((o, old, now) -> {
            slider.setValue(now.intValue());
            value.setText(Integer.toString(now.intValue()));
        });
        value.setText(Integer.toString(layer.get()));
        getChildren().addAll(new Label("layer"), slider, value);
    }

    /** Sets the range to {@code layers}, keeping the current layer when it is still among them. */
    void setLayers(SortedSet<Integer> layers) {
        if (layers.isEmpty()) {
            return;
        }
        slider.setMin(layers.first());
        slider.setMax(Math.max(layers.last(), layers.first() + 1e-9));
        if (!layers.contains((int) Math.round(slider.getValue()))) {
            slider.setValue(layers.first());
        }
    }

    Slider slider() {
        return slider;
    }
}
