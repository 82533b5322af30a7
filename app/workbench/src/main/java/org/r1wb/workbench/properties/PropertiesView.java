package org.r1wb.workbench.properties;

import atlantafx.base.theme.Styles;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.r1wb.workbench.BackgroundTasks;
import org.r1wb.workbench.workspace.WorkspaceItem;

import java.util.List;
import java.util.Objects;

/**
 * The right-hand Properties tool window: the properties of what is selected. A project-tree entry shows
 * {@link ItemProperties} (read in the background); a pipeline node shows the editor's own parameter sheet, hosted
 * here rather than drawn twice.
 */
public final class PropertiesView extends VBox {

    /** Style class of the window. */
    public static final String STYLE_CLASS = "properties-window";

    private final BackgroundTasks tasks;
    private final ReadOnlyStringWrapper subject = new ReadOnlyStringWrapper(this, "subject", "");
    private final ObservableList<ItemProperty> rows = FXCollections.observableArrayList();
    private final Label subjectLabel = new Label();
    private final GridPane grid = new GridPane();
    private final ScrollPane rowsPane = new ScrollPane(grid);
    private final StackPane content = new StackPane();
    private final Label empty = new Label("Select an entry in the project tree\nor a node in a pipeline");
    private WorkspaceItem shownItem;

    public PropertiesView(BackgroundTasks tasks, Runnable onHide) {
        this.tasks = tasks;
        getStyleClass().add(STYLE_CLASS);
        Label caption = new Label("Properties");
        caption.getStyleClass().add("tool-caption");
        Button hide = new Button("—");
        hide.getStyleClass().addAll("tool-hide", Styles.FLAT, Styles.SMALL);
        hide.setTooltip(new Tooltip("Hide the Properties window (Alt+7)"));
        hide.setOnAction(event -> onHide.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(caption, spacer, hide);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("tool-header");
        subjectLabel.getStyleClass().add("properties-subject");
        subjectLabel.textProperty().bind(subject);
        subjectLabel.setMaxWidth(Double.MAX_VALUE);
        grid.getStyleClass().add("properties-grid");
        ColumnConstraints names = new ColumnConstraints();
        names.setMinWidth(118);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(names, values);
        rowsPane.setFitToWidth(true);
        rowsPane.getStyleClass().add("properties-scroll");
        empty.getStyleClass().add("properties-empty");
        content.getChildren().setAll(empty);
        VBox.setVgrow(content, Priority.ALWAYS);
        getChildren().addAll(header, subjectLabel, content);
    }

    /** Shows the properties of a project-tree entry, read in the background. */
    public void show(WorkspaceItem item) {
        shownItem = item;
        subject.set(item.detail().isEmpty() ? item.label() : item.detail());
        Task<List<ItemProperty>> read = new Task<>() {
            @Override
            protected List<ItemProperty> call() {
                updateMessage("Reading the properties of " + item.label());
                return ItemProperties.of(item);
            }
        };
        read.setOnSucceeded(event -> {
            // a later selection wins over a slow read
            if (Objects.equals(shownItem, item)) {
                showRows(read.getValue());
            }
        });
        tasks.submit(read);
    }

    /** Shows {@code node} (a parameter sheet) under {@code title} instead of a tree entry's rows. */
    public void host(String title, Node node) {
        shownItem = null;
        subject.set(title);
        rows.clear();
        content.getChildren().setAll(node);
    }

    /** Clears the window back to its hint. */
    public void clear() {
        shownItem = null;
        subject.set("");
        rows.clear();
        content.getChildren().setAll(empty);
    }

    /** The rows shown now; empty while a node is hosted or nothing is selected. */
    public ObservableList<ItemProperty> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** What the window describes: a file name, a run id, a node id. */
    public ReadOnlyStringProperty subjectProperty() {
        return subject.getReadOnlyProperty();
    }

    /** The value of the row named {@code name}, or {@code null}. */
    public String value(String name) {
        return rows.stream().filter(row -> row.name().equals(name)).map(ItemProperty::value).findFirst()
                .orElse(null);
    }

    private void showRows(List<ItemProperty> shown) {
        rows.setAll(shown);
        grid.getChildren().clear();
        String group = null;
        int line = 0;
        for (ItemProperty row : shown) {
            if (!row.group().equals(group)) {
                group = row.group();
                Label heading = new Label(group);
                heading.getStyleClass().add("properties-group");
                heading.setMaxWidth(Double.MAX_VALUE);
                grid.add(heading, 0, line++, 2, 1);
            }
            Label name = new Label(row.name());
            name.getStyleClass().add("properties-name");
            Label value = new Label(row.value());
            value.getStyleClass().add("properties-value");
            value.setWrapText(true);
            grid.add(name, 0, line);
            grid.add(value, 1, line++);
        }
        content.getChildren().setAll(rowsPane);
    }
}
