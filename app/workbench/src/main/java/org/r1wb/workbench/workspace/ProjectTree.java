package org.r1wb.workbench.workspace;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The project tree: the workspace's pipelines, models, runs and evals, each with a kind badge, its
 * friendly name and its file name. Double-click or Enter on an entry opens it.
 */
public final class ProjectTree extends TreeView<WorkspaceItem> {

    /** Style class of the tree. */
    public static final String STYLE_CLASS = "project-tree";

    private Consumer<WorkspaceItem> onOpen = item -> { };

    public ProjectTree() {
        getStyleClass().add(STYLE_CLASS);
        setShowRoot(true);
        setCellFactory(tree -> new ItemCell());
        setOnKeyPressed(event -> {
            TreeItem<WorkspaceItem> selected = getSelectionModel().getSelectedItem();
            if (event.getCode() == KeyCode.ENTER && selected != null) {
                open(selected.getValue());
                event.consume();
            }
        });
    }

    /** What happens when an entry is opened (double-click or Enter). */
    public void setOnOpen(Consumer<WorkspaceItem> onOpen) {
        this.onOpen = onOpen;
    }

    /** Shows {@code workspace}, keeping open the groups that were open (all of them the first time). */
    public void show(WorkspaceItem workspace) {
        Set<Path> collapsed = new HashSet<>();
        if (getRoot() != null) {
            collectCollapsed(getRoot(), collapsed);
        }
        setRoot(toTreeItem(workspace, collapsed));
    }

    private void open(WorkspaceItem item) {
        if (item != null && item.kind().openable()) {
            onOpen.accept(item);
        }
    }

    private static TreeItem<WorkspaceItem> toTreeItem(WorkspaceItem item, Set<Path> collapsed) {
        TreeItem<WorkspaceItem> node = new TreeItem<>(item);
        for (WorkspaceItem child : item.children()) {
            node.getChildren().add(toTreeItem(child, collapsed));
        }
        node.setExpanded(!item.children().isEmpty() && !collapsed.contains(item.path()));
        return node;
    }

    private static void collectCollapsed(TreeItem<WorkspaceItem> node, Set<Path> out) {
        if (!node.isLeaf() && !node.isExpanded()) {
            out.add(node.getValue().path());
        }
        node.getChildren().forEach(child -> collectCollapsed(child, out));
    }

    /** A kind badge (a folder for groups) as a node, shared with the editor tabs. */
    public static Node icon(ItemKind kind) {
        if (kind == ItemKind.GROUP || kind == ItemKind.WORKSPACE) {
            Region folder = new Region();
            folder.getStyleClass().addAll("folder-icon", kind == ItemKind.WORKSPACE ? "folder-root" : "folder-group");
            return folder;
        }
        Label badge = new Label(kind.badge());
        badge.getStyleClass().addAll("kind-badge", "kind-" + kind.name().toLowerCase(Locale.ROOT));
        badge.setMinWidth(Region.USE_PREF_SIZE);
        return badge;
    }

    private final class ItemCell extends TreeCell<WorkspaceItem> {

        ItemCell() {
            setOnMouseClicked(event -> {
                if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2 && !isEmpty()) {
                    open(getItem());
                }
            });
        }

        @Override
        protected void updateItem(WorkspaceItem item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            Label name = new Label(item.label());
            name.getStyleClass().add("item-name");
            Label detail = new Label(item.detail());
            detail.getStyleClass().add(item.kind() == ItemKind.GROUP ? "item-count" : "item-detail");
            HBox row = new HBox(6, icon(item.kind()), name, detail);
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(row);
        }
    }
}
