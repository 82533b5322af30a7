package org.r1wb.workbench;

import atlantafx.base.theme.Styles;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.MouseButton;
import org.r1wb.workbench.workspace.WorkspaceItem;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;

/** The bottom tool windows: Runs (every run of the workspace), Console (what background work said), Problems. */
public final class ToolWindows extends TabPane {

    /** Lines kept in the console; older ones scroll away. */
    public static final int CONSOLE_LINES = 2000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ObservableList<WorkspaceItem> runs = FXCollections.observableArrayList();
    private final ListView<WorkspaceItem> runList = new ListView<>(runs);
    private final TextArea console = new TextArea();
    private final ListView<String> problems = new ListView<>();
    private final Tab runsTab = new Tab("Runs", runList);
    private final Tab consoleTab = new Tab("Console", console);
    private final Tab problemsTab = new Tab("Problems", problems);
    private int consoleLines;

    public ToolWindows(Consumer<WorkspaceItem> open) {
        getStyleClass().addAll("tool-windows", Styles.DENSE);
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);
        console.setEditable(false);
        console.getStyleClass().add("code-view");
        runList.setPlaceholder(new javafx.scene.control.Label("No runs yet: Run ▸ New Training Run…"));
        problems.setPlaceholder(new javafx.scene.control.Label("No problems in the open editor"));
        runList.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(WorkspaceItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
            }
        });
        runList.setOnMouseClicked(e -> {
            WorkspaceItem selected = runList.getSelectionModel().getSelectedItem();
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && selected != null) {
                open.accept(selected);
            }
        });
        getTabs().addAll(runsTab, consoleTab, problemsTab);
    }

    /** Shows these runs, newest last. */
    public void showRuns(List<WorkspaceItem> items) {
        runs.setAll(items);
    }

    /** The runs listed. */
    public List<WorkspaceItem> runs() {
        return List.copyOf(runs);
    }

    /** Appends a time-stamped line to the console. */
    public void log(String line) {
        console.appendText(LocalTime.now().format(TIME) + "  " + line + "\n");
        if (++consoleLines > CONSOLE_LINES) {
            int cut = console.getText().indexOf('\n') + 1;
            console.deleteText(0, cut);
            consoleLines--;
        }
    }

    public TextArea console() {
        return console;
    }

    /** The Problems list of the editor in front. */
    public ObservableList<String> problems() {
        return problems.getItems();
    }

    public void selectRuns() {
        getSelectionModel().select(runsTab);
    }

    public void selectProblems() {
        getSelectionModel().select(problemsTab);
    }
}
