package org.r1wb.views.command;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The undo and redo history of one editor. Every edit goes through {@link #run(Command)}, so undo and redo work
 * the same for every kind of edit. Free of JavaFX; listeners hear every change of the history.
 */
public final class CommandStack {

    private final Deque<Command> done = new ArrayDeque<>();
    private final Deque<Command> undone = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int savedDepth;
    private Command savedTop;

    /** Executes {@code command} and records it; the redo history is dropped. */
    public void run(Command command) {
        command.execute();
        done.push(command);
        undone.clear();
        fire();
    }

    /** Undoes the last command; false when there is nothing to undo. */
    public boolean undo() {
        if (done.isEmpty()) {
            return false;
        }
        Command command = done.pop();
        command.undo();
        undone.push(command);
        fire();
        return true;
    }

    /** Redoes the last undone command; false when there is nothing to redo. */
    public boolean redo() {
        if (undone.isEmpty()) {
            return false;
        }
        Command command = undone.pop();
        command.execute();
        done.push(command);
        fire();
        return true;
    }

    public boolean canUndo() {
        return !done.isEmpty();
    }

    public boolean canRedo() {
        return !undone.isEmpty();
    }

    /** The label of the command {@link #undo()} would take back. */
    public Optional<String> undoLabel() {
        return Optional.ofNullable(done.peek()).map(Command::label);
    }

    /** The label of the command {@link #redo()} would do again. */
    public Optional<String> redoLabel() {
        return Optional.ofNullable(undone.peek()).map(Command::label);
    }

    /** Marks the current state as the one on disk. */
    public void markSaved() {
        savedDepth = done.size();
        savedTop = done.peek();
        fire();
    }

    /** Whether the state differs from the one last marked saved. */
    public boolean dirty() {
        return done.size() != savedDepth || done.peek() != savedTop;
    }

    /** Hears every run, undo, redo and save mark. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void fire() {
        listeners.forEach(Runnable::run);
    }
}
