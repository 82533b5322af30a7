package org.r1wb.workbench.action;

import javafx.scene.input.KeyCombination;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Something the user can do: one entry that both the menus and search everywhere read.
 *
 * @param id        stable name, for lookups and tests ({@code "file.reload"})
 * @param label     what the menu and the palette show
 * @param menu      the menu it sits in ("File", "View", …), shown as its place in the palette
 * @param shortcuts key combinations, the first shown in the menu; empty for none
 * @param run       what it does; runs on the FX thread
 */
public record Action(String id, String label, String menu, List<KeyCombination> shortcuts, Runnable run) {

    public Action {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(menu, "menu");
        shortcuts = List.copyOf(shortcuts);
        Objects.requireNonNull(run, "run");
    }

    /** An action with the given shortcuts, each written as {@link KeyCombination#keyCombination} reads them. */
    public static Action of(String id, String label, String menu, Runnable run, String... shortcuts) {
        return new Action(id, label, menu, java.util.Arrays.stream(shortcuts).map(KeyCombination::keyCombination)
                .toList(), run);
    }

    /** The shortcuts as the platform writes them ("Ctrl+Shift+A, Ctrl+K"); empty for none. */
    public String shortcutText() {
        return shortcuts.stream().map(KeyCombination::getDisplayText).collect(Collectors.joining(", "));
    }
}
