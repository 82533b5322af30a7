package org.r1wb.workbench.welcome;

import atlantafx.base.theme.Styles;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The welcome screen, shown when no workspace is open: the recent workspaces (a missing one greyed and marked
 * "not found"), "Open Workspace…" and "Open Sample Workspace".
 */
public final class WelcomeView extends StackPane {

    /** Style class of the screen. */
    public static final String STYLE_CLASS = "welcome";

    /**
     * One recent workspace.
     *
     * @param path   the folder
     * @param exists whether it is still there
     */
    public record Recent(Path path, boolean exists) {

        /** The folder's name, the line shown first. */
        public String name() {
            Path name = path.getFileName();
            return name == null ? path.toString() : name.toString();
        }
    }

    private final ObservableList<Recent> recent = FXCollections.observableArrayList();
    private final ListView<Recent> recentList = new ListView<>(recent);
    private final Consumer<Path> openRecent;

    /**
     * @param openRecent  opens a recent workspace that exists
     * @param choose      asks for a folder and opens it
     * @param openSample  writes the sample workspace (unless it is there) and opens it
     * @param chooseKeys  the shortcut of {@code choose}, as shown on its button
     * @param sampleKeys  the shortcut of {@code openSample}
     */
    public WelcomeView(Consumer<Path> openRecent, Runnable choose, Runnable openSample, String chooseKeys,
                       String sampleKeys, String searchKeys) {
        this.openRecent = openRecent;
        getStyleClass().add(STYLE_CLASS);

        Label logo = new Label("R1");
        logo.getStyleClass().add("welcome-logo");
        Label name = new Label("R1 Workbench");
        name.getStyleClass().add("welcome-name");
        String version = WelcomeView.class.getPackage().getImplementationVersion();
        Label subtitle = new Label(version == null ? "development build" : "version " + version);
        subtitle.getStyleClass().add("welcome-version");
        VBox brand = new VBox(2, name, subtitle);
        HBox title = new HBox(12, logo, brand);
        title.setAlignment(Pos.CENTER_LEFT);

        Button open = action("Open Workspace…", chooseKeys, choose, true);
        open.setId("welcome-open");
        Button sample = action("Open Sample Workspace", sampleKeys, openSample, false);
        sample.setId("welcome-sample");
        Label blurb = new Label("Build data pipelines and MoE model graphs, train them locally or on remote GPU "
                + "nodes, and compare checkpoints in evaluations.");
        blurb.getStyleClass().add("welcome-blurb");
        blurb.setWrapText(true);
        Region push = new Region();
        VBox.setVgrow(push, Priority.ALWAYS);
        Label tip = new Label("Tip: " + searchKeys + " finds any action, file or setting");
        tip.getStyleClass().add("welcome-tip");
        tip.setWrapText(true);
        VBox left = new VBox(18, title, blurb, new VBox(8, open, sample), push, tip);
        left.getStyleClass().add("welcome-side");

        Label recentCaption = new Label("Recent Workspaces");
        recentCaption.getStyleClass().add("welcome-caption");
        recentList.getStyleClass().add("welcome-recent");
        recentList.setPlaceholder(new Label("No recent workspaces: open one, or start with the sample"));
        recentList.setCellFactory(list -> new RecentCell());
        recentList.setOnMouseClicked(event -> {
            if (event.getButton() == MouseButton.PRIMARY) {
                openSelected();
            }
        });
        recentList.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                openSelected();
                event.consume();
            }
        });
        VBox right = new VBox(8, recentCaption, recentList);
        right.getStyleClass().add("welcome-main");
        VBox.setVgrow(recentList, Priority.ALWAYS);
        // a card in the middle of the window, like IntelliJ's welcome window
        BorderPane card = new BorderPane(right);
        card.setLeft(left);
        card.getStyleClass().add("welcome-card");
        card.setMaxSize(940, 600);
        getChildren().add(card);
    }

    /** Lists these workspace folders, most recent first, checking which still exist. */
    public void setRecent(List<String> folders) {
        recent.setAll(folders.stream().map(Path::of).map(path -> new Recent(path, Files.isDirectory(path)))
                .toList());
        if (!recent.isEmpty()) {
            recentList.getSelectionModel().select(0);
        }
    }

    /** The recent workspaces listed. */
    public List<Recent> recent() {
        return List.copyOf(recent);
    }

    /** The list, for keyboard focus and tests. */
    public ListView<Recent> recentList() {
        return recentList;
    }

    private void openSelected() {
        Recent selected = recentList.getSelectionModel().getSelectedItem();
        if (selected != null && selected.exists()) {
            openRecent.accept(selected.path());
        }
    }

    private static Button action(String text, String keys, Runnable run, boolean primary) {
        Label label = new Label(text);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label shortcut = new Label(keys);
        shortcut.getStyleClass().add("welcome-shortcut");
        HBox content = new HBox(label, spacer, shortcut);
        content.setAlignment(Pos.CENTER_LEFT);
        Button button = new Button();
        button.setGraphic(content);
        content.prefWidthProperty().bind(button.widthProperty().subtract(28));
        button.setMaxWidth(Double.MAX_VALUE);
        button.getStyleClass().add("welcome-action");
        if (primary) {
            button.getStyleClass().add(Styles.ACCENT);
        }
        button.setOnAction(event -> run.run());
        return button;
    }

    private static final class RecentCell extends ListCell<Recent> {

        @Override
        protected void updateItem(Recent item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            getStyleClass().remove("missing");
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            Label badge = new Label(item.name().substring(0, 1).toUpperCase(java.util.Locale.ROOT));
            badge.getStyleClass().add("recent-badge");
            Label name = new Label(item.name());
            name.getStyleClass().add("recent-name");
            Label path = new Label(item.path().toString());
            path.getStyleClass().add("recent-path");
            VBox text = new VBox(1, name, path);
            HBox row = new HBox(10, badge, text);
            row.setAlignment(Pos.CENTER_LEFT);
            if (!item.exists()) {
                getStyleClass().add("missing");
                Region spacer = new Region();
                HBox.setHgrow(spacer, Priority.ALWAYS);
                Label missing = new Label("not found");
                missing.getStyleClass().add("recent-missing");
                row.getChildren().addAll(spacer, missing);
            }
            setGraphic(row);
        }
    }
}
