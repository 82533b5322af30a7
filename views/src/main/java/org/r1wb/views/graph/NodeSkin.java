package org.r1wb.views.graph;

import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Circle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one {@link GraphNode} is drawn: a card with its id and type, input ports on the left edge, output ports on
 * the right, a validation marker and a run badge. Positioned by the canvas in world coordinates.
 */
public final class NodeSkin extends Pane {

    public static final String STYLE_CLASS = "graph-node";
    public static final String PORT_STYLE_CLASS = "graph-port";
    public static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    public static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    public static final double WIDTH = 196;
    static final double HEADER = 44;
    static final double ROW = 22;
    static final double PORT_RADIUS = 6;
    private static final double BADGE = 30;

    private final GraphNode node;
    private final Map<String, Circle> inputs = new LinkedHashMap<>();
    private final Map<String, Circle> outputs = new LinkedHashMap<>();
    private final Label marker = new Label("!");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label badge = new Label();
    private final double bodyHeight;
    private NodeDecoration decoration = NodeDecoration.NONE;

    NodeSkin(GraphNode node) {
        this.node = node;
        getStyleClass().add(STYLE_CLASS);
        Label title = new Label(node.id());
        title.getStyleClass().add("graph-node-title");
        title.relocate(12, 6);
        title.setMaxWidth(WIDTH - 40);
        Label type = new Label(node.type());
        type.getStyleClass().add("graph-node-type");
        type.relocate(12, 24);
        getChildren().addAll(title, type);

        int rows = Math.max(1, node.inputs().size() + node.outputs().size());
        bodyHeight = HEADER + rows * ROW + 6;
        for (int i = 0; i < node.inputs().size(); i++) {
            PortDef port = node.inputs().get(i);
            inputs.put(port.name(), portCircle(port, 0, i));
            Label name = portLabel(port);
            name.relocate(12, portY(i) - 9);
            getChildren().add(name);
        }
        for (int i = 0; i < node.outputs().size(); i++) {
            PortDef port = node.outputs().get(i);
            // outputs on their own rows below the inputs, so the labels of both sides never overlap
            int row = node.inputs().size() + i;
            outputs.put(port.name(), portCircle(port, WIDTH, row));
            Label name = portLabel(port);
            name.getStyleClass().add("graph-port-label-out");
            name.setPrefWidth(WIDTH - 24);
            name.relocate(12, portY(row) - 9);
            getChildren().add(name);
        }
        getChildren().addAll(inputs.values());
        getChildren().addAll(outputs.values());

        marker.getStyleClass().add("graph-node-marker");
        marker.relocate(WIDTH - 26, 8);
        progress.getStyleClass().add("graph-node-progress");
        progress.setPrefWidth(WIDTH - 24);
        progress.setPrefHeight(5);
        progress.relocate(12, bodyHeight);
        badge.getStyleClass().add("graph-node-badge");
        badge.setPrefWidth(WIDTH - 24);
        badge.relocate(12, bodyHeight + 8);
        getChildren().addAll(marker, progress, badge);
        setPrefWidth(WIDTH);
        setMinWidth(WIDTH);
        setMaxWidth(WIDTH);
        decorate(NodeDecoration.NONE);
    }

    public GraphNode node() {
        return node;
    }

    /** The circle of the input port {@code name}, or null. */
    public Circle inputPort(String name) {
        return inputs.get(name);
    }

    /** The circle of the output port {@code name}, or null. */
    public Circle outputPort(String name) {
        return outputs.get(name);
    }

    /** What the node shows now. */
    public NodeDecoration decoration() {
        return decoration;
    }

    /** The badge text shown (statistics after a run). */
    public String badgeText() {
        return badge.getText();
    }

    /** The validation problems the marker's tooltip lists. */
    public List<String> problems() {
        return decoration.problems();
    }

    void decorate(NodeDecoration newDecoration) {
        decoration = newDecoration;
        boolean invalid = !decoration.problems().isEmpty();
        pseudoClassStateChanged(INVALID, invalid);
        marker.setVisible(invalid);
        marker.setTooltip(invalid ? new Tooltip(String.join("\n", decoration.problems())) : null);
        for (NodeDecoration.RunState state : NodeDecoration.RunState.values()) {
            pseudoClassStateChanged(PseudoClass.getPseudoClass(state.name().toLowerCase(Locale.ROOT)),
                    state == decoration.state());
        }
        boolean running = decoration.state() != NodeDecoration.RunState.IDLE;
        progress.setVisible(running);
        progress.setProgress(decoration.state() == NodeDecoration.RunState.DONE ? 1 : decoration.progress());
        badge.setText(decoration.badge());
        badge.setVisible(!decoration.badge().isEmpty());
        double height = bodyHeight + (running || !decoration.badge().isEmpty() ? BADGE : 0);
        setPrefHeight(height);
        setMinHeight(height);
        setMaxHeight(height);
    }

    /** Centre of a port in the node's world coordinates (the node's own position plus the port offset). */
    Point2D portCentre(boolean output, String name, double nodeX, double nodeY) {
        List<PortDef> ports = output ? node.outputs() : node.inputs();
        int first = output ? node.inputs().size() : 0;
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).name().equals(name)) {
                return new Point2D(nodeX + (output ? WIDTH : 0), nodeY + portY(first + i));
            }
        }
        return new Point2D(nodeX, nodeY);
    }

    private Circle portCircle(PortDef port, double x, int row) {
        Circle circle = new Circle(x, portY(row), PORT_RADIUS);
        circle.getStyleClass().addAll(PORT_STYLE_CLASS, "graph-port-" + cssName(port.type()));
        Tooltip.install(circle, new Tooltip(port.name() + " : " + port.type() + (port.many() ? " (many)" : "")));
        circle.setUserData(port);
        return circle;
    }

    private static Label portLabel(PortDef port) {
        Label label = new Label(port.name() + "  " + port.type().toLowerCase(Locale.ROOT).replace('_', ' '));
        label.getStyleClass().add("graph-port-label");
        return label;
    }

    private static double portY(int row) {
        return HEADER + row * ROW + ROW / 2;
    }

    /** A port type as a CSS class suffix. */
    static String cssName(String type) {
        return type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
