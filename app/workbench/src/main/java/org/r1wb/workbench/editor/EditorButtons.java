package org.r1wb.workbench.editor;

import atlantafx.base.theme.Styles;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import org.r1wb.views.command.CommandStack;

import java.util.List;

/** The buttons the editors' tool bars share: small flat buttons, and undo/redo bound to an editor's command stack. */
public final class EditorButtons {

    private EditorButtons() {
    }

    /** A small flat tool-bar button. */
    public static Button button(String text, String tooltip, Runnable action) {
        Button button = new Button(text);
        button.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        button.setTooltip(new Tooltip(tooltip));
        button.setOnAction(e -> action.run());
        return button;
    }

    /**
     * Undo and redo for {@code commands}: enabled only while there is a step to undo or redo, their tooltips naming
     * that step.
     */
    public static List<Button> undoRedo(CommandStack commands) {
        Button undo = button("Undo", "Nothing to undo (Ctrl+Z)", commands::undo);
        Button redo = button("Redo", "Nothing to redo (Ctrl+Shift+Z)", commands::redo);
        commands.addListener(() -> {
            undo.setDisable(!commands.canUndo());
            redo.setDisable(!commands.canRedo());
            undo.setTooltip(new Tooltip(commands.undoLabel().map(l -> "Undo " + l).orElse("Nothing to undo") + " (Ctrl+Z)"));
            redo.setTooltip(new Tooltip(commands.redoLabel().map(l -> "Redo " + l).orElse("Nothing to redo") + " (Ctrl+Shift+Z)"));
        });
        undo.setDisable(!commands.canUndo());
        redo.setDisable(!commands.canRedo());
        return List.of(undo, redo);
    }
}
