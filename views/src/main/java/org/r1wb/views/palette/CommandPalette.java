package org.r1wb.views.palette;

import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.util.List;
import java.util.function.Supplier;

/**
 * Search everywhere: a text field over a ranked list of every action, file and setting. Lives as a floating panel
 * in a {@link StackPane} layer above the window's content (so a scene snapshot shows it); Enter runs the
 * selected entry, Esc or a click elsewhere closes, Up and Down move.
 */
public final class CommandPalette extends VBox {

    /** Style class of the panel. */
    public static final String STYLE_CLASS = "command-palette";
    /** Style class of the matched letters in an entry's title. */
    public static final String MATCH_STYLE = "palette-match";
    private static final String STYLESHEET = CommandPalette.class.getResource("palette.css").toExternalForm();
    private static final int MAX_SHOWN = 60;
    private static final double ROW = 34;
    private static final int ROWS_VISIBLE = 11;

    private final TextField query = new TextField();
    private final ObservableList<RankedEntry> shown = FXCollections.observableArrayList();
    private final ListView<RankedEntry> list = new ListView<>(shown);
    private final Label count = new Label();
    private final ChangeListener<Node> focusWatch = (obs, old, now) -> closeWhenFocusLeaves(now);
    private Supplier<List<PaletteEntry>> source = List::of;
    private List<PaletteEntry> entries = List.of();

    public CommandPalette() {
        getStyleClass().add(STYLE_CLASS);
        getStylesheets().add(STYLESHEET);
        setVisible(false);
        setMaxWidth(640);
        setMaxHeight(USE_PREF_SIZE);
        StackPane.setAlignment(this, Pos.TOP_CENTER);
        StackPane.setMargin(this, new Insets(70, 0, 0, 0));

        Label title = new Label("Search Everywhere");
        title.getStyleClass().add("palette-title");
        Label hint = new Label("actions, files, settings   ↑↓ move · Enter open · Esc close");
        hint.getStyleClass().add("palette-hint");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, hint);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("palette-header");

        query.getStyleClass().add("palette-query");
        query.setPromptText("Type an action, a file or a setting");
        query.textProperty().addListener((obs, old, text) -> refresh());
        query.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        list.getStyleClass().add("palette-list");
        list.setCellFactory(view -> new EntryCell());
        list.setFocusTraversable(false);
        list.setFixedCellSize(ROW);
        list.setPlaceholder(new Label("Nothing matches"));
        list.setOnMouseClicked(event -> {
            if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2) {
                runSelected();
            }
        });
        count.getStyleClass().add("palette-count");
        getChildren().addAll(header, query, list, count);
        sceneProperty().addListener((obs, old, scene) -> watchFocus(old, scene));
    }

    /** Where the entries come from; asked again each time the palette opens, so it never lists stale files. */
    public void setSource(Supplier<List<PaletteEntry>> source) {
        this.source = source;
    }

    /** Shows the palette with an empty query and focuses its text field. */
    public void open() {
        entries = List.copyOf(source.get());
        query.clear();
        refresh();
        setVisible(true);
        toFront();
        query.requestFocus();
    }

    /** Hides the palette. */
    public void close() {
        setVisible(false);
    }

    public boolean isOpen() {
        return isVisible();
    }

    /** The text field the user types into. */
    public TextField query() {
        return query;
    }

    /** What is listed now, best match first. */
    public List<PaletteEntry> results() {
        return shown.stream().map(RankedEntry::entry).toList();
    }

    /** The entry Enter would run, or {@code null}. */
    public PaletteEntry selected() {
        RankedEntry ranked = list.getSelectionModel().getSelectedItem();
        return ranked == null ? null : ranked.entry();
    }

    private void refresh() {
        List<RankedEntry> ranked = RankedEntry.rank(query.getText(), entries);
        shown.setAll(ranked.subList(0, Math.min(MAX_SHOWN, ranked.size())));
        count.setText(ranked.size() > MAX_SHOWN ? MAX_SHOWN + " of " + ranked.size() + " shown" : ranked.size()
                + (ranked.size() == 1 ? " match" : " matches"));
        // the popup shrinks to its matches, as IntelliJ's does
        list.setPrefHeight(Math.max(1, Math.min(shown.size(), ROWS_VISIBLE)) * ROW + 10);
        if (!shown.isEmpty()) {
            list.getSelectionModel().select(0);
            list.scrollTo(0);
        }
    }

    private void onKey(KeyEvent event) {
        switch (event.getCode()) {
            case DOWN -> move(1);
            case UP -> move(-1);
            case PAGE_DOWN -> move(10);
            case PAGE_UP -> move(-10);
            case ENTER -> runSelected();
            case ESCAPE -> close();
            default -> {
                return;
            }
        }
        event.consume();
    }

    private void move(int by) {
        if (shown.isEmpty()) {
            return;
        }
        int next = Math.floorMod(list.getSelectionModel().getSelectedIndex() + by, shown.size());
        list.getSelectionModel().select(next);
        list.scrollTo(Math.max(0, next - 4));
    }

    private void runSelected() {
        PaletteEntry entry = selected();
        close();
        if (entry != null) {
            entry.run().run();
        }
    }

    private void watchFocus(Scene old, Scene scene) {
        if (old != null) {
            old.focusOwnerProperty().removeListener(focusWatch);
        }
        if (scene != null) {
            scene.focusOwnerProperty().addListener(focusWatch);
        }
    }

    private void closeWhenFocusLeaves(Node owner) {
        for (Node node = owner; node != null; node = node.getParent()) {
            if (node == this) {
                return;
            }
        }
        if (owner != null) {
            close();
        }
    }

    /** Icon, title with the matched letters in bold, dimmed detail, and the shortcut on the right. */
    private static final class EntryCell extends ListCell<RankedEntry> {

        @Override
        protected void updateItem(RankedEntry item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            PaletteEntry entry = item.entry();
            TextFlow title = highlighted(entry.title(), item.titleMatch());
            title.getStyleClass().add("palette-entry-title");
            Label detail = new Label(entry.detail());
            detail.getStyleClass().add("palette-entry-detail");
            detail.setMinWidth(0);
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            Label category = new Label(entry.category());
            category.getStyleClass().add("palette-entry-category");
            Label shortcut = new Label(entry.shortcut());
            shortcut.getStyleClass().add("palette-entry-shortcut");
            shortcut.setMinWidth(USE_PREF_SIZE);
            HBox row = new HBox(8);
            Node icon = entry.icon().get();
            if (icon != null) {
                row.getChildren().add(icon);
            }
            row.getChildren().addAll(title, detail, spacer);
            if (!entry.shortcut().isEmpty()) {
                row.getChildren().add(shortcut);
            }
            row.getChildren().add(category);
            // the title is a TextFlow, the rest labels: their text lines up on the baseline
            row.setAlignment(Pos.BASELINE_LEFT);
            setGraphic(row);
        }

        private static TextFlow highlighted(String text, int[] positions) {
            TextFlow flow = new TextFlow();
            int next = 0;
            int start = 0;
            while (start < text.length()) {
                boolean matched = next < positions.length && positions[next] == start;
                int end = start + 1;
                if (matched) {
                    next++;
                    while (next < positions.length && positions[next] == end) {
                        next++;
                        end++;
                    }
                } else {
                    int until = next < positions.length ? positions[next] : text.length();
                    end = until;
                }
                Text run = new Text(text.substring(start, end));
                run.getStyleClass().add(matched ? MATCH_STYLE : "palette-plain");
                flow.getChildren().add(run);
                start = end;
            }
            flow.setMinWidth(Region.USE_PREF_SIZE);
            return flow;
        }
    }
}
