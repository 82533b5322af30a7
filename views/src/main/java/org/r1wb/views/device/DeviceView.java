package org.r1wb.views.device;

import javafx.scene.control.Control;
import javafx.scene.control.Skin;

import java.util.Objects;

/**
 * GPU utilisation, memory, temperature and power over time, one line per device, from a
 * {@link DeviceHistory}; a CPU-only run shows that state (reason, cores, resident memory) instead.
 */
public class DeviceView extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "device-view";
    /** Style class of the state line above the charts. */
    public static final String STATE_STYLE_CLASS = "device-view-state";

    private final DeviceHistory history;

    public DeviceView(DeviceHistory history) {
        this.history = Objects.requireNonNull(history, "history");
        getStyleClass().add(STYLE_CLASS);
    }

    /** The telemetry shown. */
    public DeviceHistory history() {
        return history;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new DeviceViewSkin(this);
    }
}
