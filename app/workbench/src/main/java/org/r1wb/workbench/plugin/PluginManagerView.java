package org.r1wb.workbench.plugin;

import atlantafx.base.theme.Styles;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The plugin manager: a table of the installed plugins (id, version, SPI version, status with the error that names the
 * plugin's problem, folder, SHA-256), the selected plugin's details, and buttons to install a jar from a file into a
 * chosen folder, enable or disable the selected plugin, and list again. Bound to a {@link PluginManagerModel}.
 */
public final class PluginManagerView extends BorderPane {

    /** The style class of the view's root. */
    public static final String STYLE_CLASS = "plugin-manager";

    private final PluginManagerModel model;
    private final TableView<InstalledPlugin> table = new TableView<>();
    private final ChoiceBox<PluginManagerModel.Folder> folder = new ChoiceBox<>();
    private final Button install = new Button("Install from file…");
    private final Button toggle = new Button("Disable");
    private final Button refresh = new Button("Refresh");
    private final TextArea details = new TextArea();
    private final Label message = new Label();
    private Function<Window, Optional<Path>> jarChooser = PluginManagerView::chooseJar;
    /** The jar of the plugin last selected, selected again after each listing. */
    private Path lastSelectedJar;

    public PluginManagerView(PluginManagerModel model) {
        this.model = model;
        getStyleClass().add(STYLE_CLASS);
        folder.getItems().setAll(PluginManagerModel.Folder.values());
        folder.setValue(PluginManagerModel.Folder.WORKSPACE);
        folder.setId("plugin-folder");
        install.setId("plugin-install");
        toggle.setId("plugin-toggle");
        refresh.setId("plugin-refresh");
        table.setId("plugin-table");
        for (Button button : List.of(install, toggle, refresh)) {
            button.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        }
        install.disableProperty().bind(model.busyProperty());
        refresh.disableProperty().bind(model.busyProperty());
        toggle.disableProperty().bind(model.busyProperty().or(table.getSelectionModel().selectedItemProperty().isNull()));
        toggle.textProperty().bind(Bindings.createStringBinding(() -> selected().map(p -> p.disabled() ? "Enable" : "Disable")
                .orElse("Disable"), table.getSelectionModel().selectedItemProperty()));
        install.setOnAction(e -> jarChooser.apply(getScene() == null ? null : getScene().getWindow())
                .ifPresent(jar -> model.install(jar, folder.getValue())));
        toggle.setOnAction(e -> selected().ifPresent(p -> model.setEnabled(p, p.disabled())));
        refresh.setOnAction(e -> model.refresh());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        setTop(new ToolBar(new Label("Install into"), folder, install, spacer, toggle, refresh));

        table.getColumns().setAll(List.of(column("Id", InstalledPlugin::id, 160), column("Version", InstalledPlugin::version, 110),
                column("SPI", InstalledPlugin::spi, 50), column("Status", InstalledPlugin::status, 260),
                column("Folder", InstalledPlugin::folder, 90), column("SHA-256", InstalledPlugin::sha256, 470)));
        table.setItems(model.plugins());
        table.setPlaceholder(new Label("No plugins in " + model.folder(PluginManagerModel.Folder.WORKSPACE) + " or "
                + model.folder(PluginManagerModel.Folder.USER)));
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            details.setText(describe(now));
            if (now != null) {
                lastSelectedJar = now.jar();
            }
        });
        // a listing replaces the rows: keep the same plugin selected, so enable/disable can be pressed again
        model.plugins().addListener((ListChangeListener<InstalledPlugin>) change -> reselect());
        details.setEditable(false);
        details.setWrapText(true);
        details.setPrefRowCount(5);
        message.textProperty().bind(model.messageProperty());
        VBox bottom = new VBox(4, details, message);
        bottom.setPadding(new Insets(4));
        setCenter(table);
        setBottom(bottom);
    }

    /** The model this view shows. */
    public PluginManagerModel model() {
        return model;
    }

    /** The table of installed plugins. */
    public TableView<InstalledPlugin> table() {
        return table;
    }

    /** Which folder "Install from file…" copies into. */
    public ChoiceBox<PluginManagerModel.Folder> folderChoice() {
        return folder;
    }

    /** Asks the user for a jar; replaceable so that headless tests need no native file dialog. */
    public void setJarChooser(Function<Window, Optional<Path>> chooser) {
        this.jarChooser = chooser;
    }

    private Optional<InstalledPlugin> selected() {
        return Optional.ofNullable(table.getSelectionModel().getSelectedItem());
    }

    private void reselect() {
        Path jar = lastSelectedJar;
        if (jar == null) {
            return;
        }
        model.plugins().stream().filter(p -> p.jar().equals(jar)).findFirst()
                .ifPresent(p -> table.getSelectionModel().select(p));
    }

    private static String describe(InstalledPlugin plugin) {
        if (plugin == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        lines.add(plugin.id() + (plugin.version() == null ? "" : " " + plugin.version())
                + (plugin.description().isEmpty() ? "" : ": " + plugin.description()));
        lines.add("jar: " + plugin.jar());
        lines.add("status: " + plugin.status());
        if (!plugin.stages().isEmpty() || !plugin.metrics().isEmpty() || !plugin.rewards().isEmpty()) {
            lines.add("stages " + plugin.stages() + ", metrics " + plugin.metrics() + ", rewards " + plugin.rewards());
        }
        return String.join("\n", lines);
    }

    private static TableColumn<InstalledPlugin, String> column(String title, Function<InstalledPlugin, String> value,
                                                               double width) {
        TableColumn<InstalledPlugin, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        column.setPrefWidth(width);
        return column;
    }

    private static Optional<Path> chooseJar(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Install Plugin");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Plugin jar", "*.jar"));
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
    }
}
