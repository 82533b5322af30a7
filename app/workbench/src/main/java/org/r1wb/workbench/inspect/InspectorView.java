package org.r1wb.workbench.inspect;

import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.r1wb.views.attention.AttentionHeadView;
import org.r1wb.views.attention.AttentionModelView;
import org.r1wb.views.dashboard.RunDashboard;
import org.r1wb.views.device.DeviceView;
import org.r1wb.views.routing.RoutingLoadHeatmap;
import org.r1wb.views.routing.TokenHeatmap;
import org.r1wb.views.routing.TokenRouting;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The live inspection of one run: tabs for the dashboard (headline tiles above it), expert routing (load and
 * token heatmaps with a shared layer slider), attention (head view and model view; clicking a thumbnail shows its
 * layer and head in the head view) and devices. Everything is drawn from one {@link InspectionModel}; with a
 * {@link RunComparison}, the dashboard's tool bar offers the run's sibling runs to draw over it, and with a
 * {@link ProbeCapturer}, the routing and attention tabs let the user edit the probe text and capture it anew.
 */
public final class InspectorView extends TabPane {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "inspector-view";

    private final InspectionModel model;
    private final RunDashboard dashboard;
    private final HeadlineTiles headline;
    private final RoutingLoadHeatmap loadHeatmap = new RoutingLoadHeatmap();
    private final TokenHeatmap tokenHeatmap = new TokenHeatmap();
    private final AttentionHeadView headView = new AttentionHeadView();
    private final AttentionModelView modelView = new AttentionModelView();
    private final DeviceView deviceView;
    private final LayerSlider routingLayer;
    private final LayerSlider attentionLayer;

    /** The inspection of one run, with no run comparison and no probe capture. */
    public InspectorView(InspectionModel model) {
        this(model, null, null);
    }

    /**
     * The inspection of one run; {@code comparison}, when not {@code null}, supplies the runs drawn over its
     * dashboard, and {@code capturer}, when not {@code null}, captures the probe text the user edits.
     */
    public InspectorView(InspectionModel model, RunComparison comparison, ProbeCapturer capturer) {
        this.model = model;
        getStyleClass().add(STYLE_CLASS);
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);

        dashboard = new RunDashboard(model.dashboard());
        headline = new HeadlineTiles(model);
        BorderPane dashboardPane = new BorderPane(dashboard);
        dashboardPane.setTop(headline);
        Tab dashboardTab = new Tab("Dashboard", dashboardPane);
        if (comparison != null) {
            dashboard.runNameProperty().set(comparison.runName());
            Bindings.bindContent(dashboard.getComparedRuns(), comparison.runs());
            dashboard.getTools().add(comparePicker(comparison));
        }

        loadHeatmap.historyProperty().set(model.routing());
        tokenHeatmap.layerProperty().bind(loadHeatmap.layerProperty());
        routingLayer = new LayerSlider(loadHeatmap.layerProperty());
        model.routing().addListener((InvalidationListener) o -> routingLayer.setLayers(routingLayers()));
        model.tokenRouting().addListener((MapChangeListener<Integer, TokenRouting>) c -> {
            if (c.wasAdded()) {
                tokenHeatmap.getMatrices().put(c.getKey(), c.getValueAdded());
                routingLayer.setLayers(routingLayers());
            }
        });
        SplitPane routingSplit = new SplitPane(loadHeatmap, tokenHeatmap);
        routingSplit.setOrientation(Orientation.VERTICAL);
        Tab routingTab = new Tab("Expert routing", withBar(routingLayer, capturer, routingSplit));

        headView.attentionProperty().set(model.attention());
        modelView.attentionProperty().set(model.attention());
        attentionLayer = new LayerSlider(headView.layerProperty());
        model.attention().addListener(o -> attentionLayer.setLayers(model.attention().layers()));
        modelView.selectedProperty().addListener((o, old, ref) -> {
            if (ref != null) {
                headView.layerProperty().set(ref.layer());
                headView.headProperty().set(ref.head());
            }
        });
        Tab attentionTab = new Tab("Attention", withBar(attentionLayer, capturer, new SplitPane(headView, modelView)));

        deviceView = new DeviceView(model.devices());
        Tab deviceTab = new Tab("Devices", deviceView);
        getTabs().addAll(dashboardTab, routingTab, attentionTab, deviceTab);
    }

    public InspectionModel model() {
        return model;
    }

    public RunDashboard dashboard() {
        return dashboard;
    }

    /** The headline tiles above the dashboard. */
    public HeadlineTiles headline() {
        return headline;
    }

    public RoutingLoadHeatmap loadHeatmap() {
        return loadHeatmap;
    }

    public TokenHeatmap tokenHeatmap() {
        return tokenHeatmap;
    }

    public AttentionHeadView headView() {
        return headView;
    }

    public AttentionModelView modelView() {
        return modelView;
    }

    public DeviceView deviceView() {
        return deviceView;
    }

    /** Shows the tab with {@code title} ("Dashboard", "Expert routing", "Attention", "Devices"). */
    public void show(String title) {
        getTabs().stream().filter(t -> t.getText().equals(title)).findFirst()
                .ifPresent(t -> getSelectionModel().select(t));
    }

    /** A menu of the sibling runs, read when it opens; ticking one draws it over the dashboard. */
    private static MenuButton comparePicker(RunComparison comparison) {
        MenuButton picker = new MenuButton("Compare runs");
        picker.setOnShowing(e -> {
            picker.getItems().clear();
            List<Path> candidates;
            try {
                candidates = comparison.candidates();
            } catch (IOException ex) {
                picker.getItems().add(disabled("Cannot list the runs: " + ex.getMessage()));
                return;
            }
            for (Path run : candidates) {
                CheckMenuItem item = new CheckMenuItem(run.getFileName().toString());
                item.setSelected(comparison.isCompared(run));
                item.setOnAction(a -> {
                    if (item.isSelected()) {
                        comparison.add(run);
                    } else {
                        comparison.remove(run);
                    }
                });
                picker.getItems().add(item);
            }
            if (candidates.isEmpty()) {
                picker.getItems().add(disabled("No other run in this workspace"));
            }
        });
        // a menu filled only when shown has no items to open before that: one placeholder lets it open
        picker.getItems().add(disabled("…"));
        return picker;
    }

    private static MenuItem disabled(String text) {
        MenuItem item = new MenuItem(text);
        item.setDisable(true);
        return item;
    }

    private TreeSet<Integer> routingLayers() {
        TreeSet<Integer> layers = new TreeSet<>(model.routing().layers());
        layers.addAll(model.tokenRouting().keySet());
        return layers;
    }

    private static BorderPane withBar(LayerSlider slider, ProbeCapturer capturer, Node content) {
        HBox bar = new HBox(16, slider);
        if (capturer != null) {
            ProbeBar probe = new ProbeBar(capturer);
            HBox.setHgrow(probe, Priority.ALWAYS);
            bar.getChildren().add(probe);
        }
        bar.setPadding(new Insets(6, 8, 6, 8));
        BorderPane pane = new BorderPane(content);
        pane.setTop(bar);
        return pane;
    }
}
