package org.r1wb.workbench;

import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The bottom bar: the workspace path on the left, the running background task (message and
 * progress) and the last notice on the right.
 */
public final class StatusBar extends HBox {

    /** Style class of the bar. */
    public static final String STYLE_CLASS = "status-bar";

    private final Label workspace = new Label();
    private final Label notice = new Label("Ready");
    private final Label taskMessage = new Label();
    private final ProgressBar progress = new ProgressBar();

    public StatusBar(BackgroundTasks tasks) {
        getStyleClass().add(STYLE_CLASS);
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(12);
        workspace.getStyleClass().add("status-workspace");
        notice.getStyleClass().add("status-notice");
        taskMessage.getStyleClass().add("status-task");
        progress.setPrefWidth(120);
        progress.setMaxHeight(6);
        progress.managedProperty().bind(progress.visibleProperty());
        taskMessage.managedProperty().bind(taskMessage.visibleProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        getChildren().addAll(workspace, spacer, taskMessage, progress, notice);
        tasks.running().addListener((ListChangeListener<Task<?>>) change -> follow(tasks));
        follow(tasks);
    }

    /** The workspace path shown on the left. */
    public StringProperty workspaceTextProperty() {
        return workspace.textProperty();
    }

    /** Shows a short notice on the right ("Reloaded", "Cannot open …"). */
    public void notice(String text) {
        notice.setText(text);
    }

    /** The notice shown right now. */
    public String notice() {
        return notice.getText();
    }

    private void follow(BackgroundTasks tasks) {
        taskMessage.textProperty().unbind();
        progress.progressProperty().unbind();
        boolean busy = !tasks.running().isEmpty();
        taskMessage.setVisible(busy);
        progress.setVisible(busy);
        if (busy) {
            Task<?> newest = tasks.running().get(tasks.running().size() - 1);
            taskMessage.textProperty().bind(newest.messageProperty());
            progress.progressProperty().bind(newest.progressProperty());
        } else {
            taskMessage.setText("");
        }
    }
}
