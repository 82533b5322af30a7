package org.r1wb.views.command;

/** One undoable edit. {@link #execute()} and {@link #undo()} must restore each other's state exactly. */
public interface Command {

    /** A short name for menus ("Undo Connect normalize → bpe"). */
    String label();

    /** Does the edit (also used to redo it). */
    void execute();

    /** Takes the edit back. */
    void undo();
}
