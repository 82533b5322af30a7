package org.r1wb.workbench.inspect;

import javafx.beans.InvalidationListener;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.r1wb.views.attention.AttentionHeadView;
import org.r1wb.views.attention.AttentionModelView;
import org.r1wb.views.dashboard.RunDashboard;
import org.r1wb.views.device.DeviceView;
import org.r1wb.views.routing.RoutingLoadHeatmap;
import org.r1wb.views.routing.TokenHeatmap;
import org.r1wb.views.routing.TokenRouting;

import java.util.TreeSet;

/**
 * The live inspection of one run: tabs for the dashboard, expert routing (load and token heatmaps with a
 * shared layer slider), attention (head view and model view; clicking a thumbnail shows its layer and head
 * in the head view) and devices. Everything is drawn from one {@link InspectionModel}.
 */
public final class InspectorView extends TabPane {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "inspector-view";

    private final InspectionModel model;
    private final RunDashboard dashboard;
    private final RoutingLoadHeatmap loadHeatmap = new RoutingLoadHeatmap();
    private final TokenHeatmap tokenHeatmap = new TokenHeatmap();
    private final AttentionHeadView headView = new AttentionHeadView();
    private final AttentionModelView modelView = new AttentionModelView();
    private final DeviceView deviceView;
    private final LayerSlider routingLayer;
    private final LayerSlider attentionLayer;

    public InspectorView(InspectionModel model) {
        this.model = model;
        getStyleClass().add(STYLE_CLASS);
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);

        dashboard = new RunDashboard(model.dashboard());
        Tab dashboardTab = new Tab("Dashboard", dashboard);

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
        Tab routingTab = new Tab("Expert routing", withBar(routingLayer, routingSplit));

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
        Tab attentionTab = new Tab("Attention", withBar(attentionLayer, new SplitPane(headView, modelView)));

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

    private TreeSet<Integer> routingLayers() {
        TreeSet<Integer> layers = new TreeSet<>(model.routing().layers());
        layers.addAll(model.tokenRouting().keySet());
        return layers;
    }

    private static BorderPane withBar(LayerSlider slider, Node content) {
        HBox bar = new HBox(slider);
        bar.setPadding(new Insets(6, 8, 6, 8));
        BorderPane pane = new BorderPane(content);
        pane.setTop(bar);
        return pane;
    }
}
