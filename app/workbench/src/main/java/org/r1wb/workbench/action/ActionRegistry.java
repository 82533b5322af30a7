package org.r1wb.workbench.action;

import javafx.scene.Scene;
import javafx.scene.control.MenuItem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every action of the workbench, in registration order. The menus build their items from it and search everywhere
 * lists it, so an action added here is in both and its shortcut is written once.
 */
public final class ActionRegistry {

    private final Map<String, Action> actions = new LinkedHashMap<>();

    /** Adds an action; its id must be new. */
    public Action register(Action action) {
        if (actions.putIfAbsent(action.id(), action) != null) {
            throw new IllegalArgumentException("action '" + action.id() + "' is registered twice");
        }
        return action;
    }

    /** Every action, in the order registered. */
    public List<Action> all() {
        return List.copyOf(actions.values());
    }

    public Optional<Action> find(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    /** Runs the action {@code id}; fails when there is none, which is a programming error. */
    public void run(String id) {
        find(id).orElseThrow(() -> new IllegalArgumentException("no action '" + id + "'")).run().run();
    }

    /** A menu item for the action {@code id}, with its first shortcut as the accelerator. */
    public MenuItem menuItem(String id) {
        Action action = find(id).orElseThrow(() -> new IllegalArgumentException("no action '" + id + "'"));
        MenuItem item = new MenuItem(action.label());
        item.setId(id);
        if (!action.shortcuts().isEmpty()) {
            item.setAccelerator(action.shortcuts().get(0));
        }
        item.setOnAction(event -> action.run().run());
        return item;
    }

    /** Installs every shortcut after an action's first on the scene (a menu item holds only one accelerator). */
    public void installExtraShortcuts(Scene scene) {
        for (Action action : actions.values()) {
            for (int i = 1; i < action.shortcuts().size(); i++) {
                scene.getAccelerators().put(action.shortcuts().get(i), action.run());
            }
        }
    }
}
