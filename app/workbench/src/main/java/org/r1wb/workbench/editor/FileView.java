package org.r1wb.workbench.editor;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.r1wb.workbench.BackgroundTasks;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only view of a workspace file in a monospace font, optionally with a summary table of its
 * JSON leaves beside it (used for model specs). The real graph editors replace it later.
 */
public final class FileView extends BorderPane {

    /** Files bigger than this are shown up to this many bytes. */
    public static final int MAX_SHOWN_BYTES = 2 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TextArea text = new TextArea("Loading…");
    private final TableView<JsonSummary.Entry> summary = new TableView<>();
    private final Label notice = new Label();

    /** Result of the background read: the text and, when asked for, its summary or parse problem. */
    private record Loaded(FileContent content, List<JsonSummary.Entry> entries, String problem) { }

    public FileView(Path file, boolean withSummary, BackgroundTasks tasks) {
        getStyleClass().add("file-view");
        text.setEditable(false);
        text.getStyleClass().add("code-view");
        notice.getStyleClass().add("file-notice");
        notice.setVisible(false);
        notice.managedProperty().bind(notice.visibleProperty());
        setTop(notice);

        if (withSummary) {
            summary.getStyleClass().addAll("summary-table", Styles.DENSE, Tweaks.EDGE_TO_EDGE);
            summary.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
            summary.setPlaceholder(new Label("No summary"));
            TableColumn<JsonSummary.Entry, String> key = new TableColumn<>("Setting");
            key.setCellValueFactory(row -> new ReadOnlyStringWrapper(row.getValue().key()));
            TableColumn<JsonSummary.Entry, String> value = new TableColumn<>("Value");
            value.setCellValueFactory(row -> new ReadOnlyStringWrapper(row.getValue().value()));
            key.setPrefWidth(170);
            summary.getColumns().add(key);
            summary.getColumns().add(value);
            Label caption = new Label("Summary");
            caption.getStyleClass().add("pane-caption");
            VBox side = new VBox(caption, summary);
            VBox.setVgrow(summary, Priority.ALWAYS);
            SplitPane split = new SplitPane(text, side);
            split.setOrientation(Orientation.HORIZONTAL);
            split.setDividerPositions(0.66);
            setCenter(split);
        } else {
            setCenter(text);
        }
        tasks.submit(loadTask(file, withSummary));
    }

    /** The text area showing the file (read-only). */
    public TextArea textArea() {
        return text;
    }

    /** The summary rows (empty unless the view was made with a summary). */
    public List<JsonSummary.Entry> summaryEntries() {
        return summary.getItems();
    }

    private Task<Loaded> loadTask(Path file, boolean withSummary) {
        return new Task<>() {
            @Override
            protected Loaded call() throws Exception {
                updateMessage("Reading " + file.getFileName());
                FileContent content = FileContent.read(file, MAX_SHOWN_BYTES);
                if (!withSummary || content.truncated()) {
                    return new Loaded(content, List.of(), null);
                }
                try {
                    return new Loaded(content, JsonSummary.flatten(JSON.readTree(content.text())), null);
                } catch (JsonProcessingException e) {
                    JsonLocation at = e.getLocation();
                    String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
                    return new Loaded(content, List.of(),
                            file.getFileName() + where + ": not valid JSON: " + e.getOriginalMessage());
                }
            }

            @Override
            protected void succeeded() {
                Loaded loaded = getValue();
                text.setText(loaded.content().text());
                summary.getItems().setAll(loaded.entries());
                if (loaded.problem() != null) {
                    showNotice(loaded.problem());
                } else if (loaded.content().truncated()) {
                    showNotice("Showing the first " + (MAX_SHOWN_BYTES >> 20) + " MB of "
                            + loaded.content().size() / (1 << 20) + " MB");
                }
            }

            @Override
            protected void failed() {
                text.setText("");
                showNotice("Cannot read " + file + ": " + getException().getMessage());
            }
        };
    }

    private void showNotice(String message) {
        notice.setText(message);
        notice.setVisible(true);
    }
}
