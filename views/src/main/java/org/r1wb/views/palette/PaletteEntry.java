package org.r1wb.views.palette;

import javafx.scene.Node;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One thing the command palette can find: an action, a file or a setting.
 *
 * @param category what kind of thing it is, shown as the group ("Action", "File", "Setting")
 * @param title    the text matched and shown first
 * @param detail   secondary text shown dimmed (a file name, a menu path); matched too, with less weight
 * @param shortcut the key combination shown on the right; empty when none
 * @param icon     makes the entry's icon (a fresh node per cell); returns {@code null} for none
 * @param run      what Enter does
 */
public record PaletteEntry(String category, String title, String detail, String shortcut, Supplier<Node> icon,
                           Runnable run) {

    public PaletteEntry {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(title, "title");
        detail = detail == null ? "" : detail;
        shortcut = shortcut == null ? "" : shortcut;
        icon = icon == null ? () -> null : icon;
        Objects.requireNonNull(run, "run");
    }
}
