package org.r1wb.workbench;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

/** The look of the workbench: an AtlantaFX base theme plus the workbench's own stylesheet on top. */
public enum Theme {
    LIGHT("Light", new PrimerLight()),
    DARK("Dark", new PrimerDark());

    /** The workbench stylesheet; it uses the theme's looked-up colours, so it follows either theme. */
    public static final String WORKBENCH_CSS =
            Theme.class.getResource("workbench.css").toExternalForm();

    private final String label;
    private final atlantafx.base.theme.Theme base;

    Theme(String label, atlantafx.base.theme.Theme base) {
        this.label = label;
        this.base = base;
    }

    /** The theme called {@code name} ({@code LIGHT}, {@code DARK}); {@link #LIGHT} for an unknown or missing name. */
    public static Theme named(String name) {
        for (Theme theme : values()) {
            if (theme.name().equalsIgnoreCase(String.valueOf(name))) {
                return theme;
            }
        }
        return LIGHT;
    }

    /** The menu label. */
    public String label() {
        return label;
    }

    /** Makes this the application-wide user-agent stylesheet; call on the FX thread. */
    public void apply() {
        Application.setUserAgentStylesheet(base.getUserAgentStylesheet());
    }
}
