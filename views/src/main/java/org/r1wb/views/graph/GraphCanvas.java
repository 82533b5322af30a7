package org.r1wb.views.graph;

import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Circle;
import javafx.scene.shape.CubicCurve;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.util.Duration;
import org.r1wb.views.command.Command;
import org.r1wb.views.command.CommandStack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A node-graph editor over a {@link GraphModel}: one {@link NodeSkin} per node and one {@link EdgeSkin} per
 * edge, drawn in a zoomable, pannable world. Every edit (add, delete, connect, move, paste, auto-layout) is a
 * command on the {@link CommandStack}; model changes are batched and applied to the skins on the next pulse.
 *
 * <p>Mouse: drag a node to move it (Shift-click adds to the selection), drag from an output port to an input
 * port to connect (a refused connection says why in {@link #refusalProperty()}), drag the background to pan,
 * scroll to zoom. Keys: Delete, Ctrl+A, Ctrl+C, Ctrl+V, Ctrl+D (duplicate), Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y, L (layout).
 */
public final class GraphCanvas extends Pane {

    public static final String STYLE_CLASS = "graph-canvas";
    private static final double MIN_ZOOM = 0.25;
    private static final double MAX_ZOOM = 3;
    private static final double LAYER_GAP = 250;
    private static final double ROW_GAP = 40;
    private static final double PASTE_OFFSET = 40;

    private final GraphModel model;
    private final CommandStack commands;
    private final ConnectionRule rule;
    private final Group world = new Group();
    private final Group edgeLayer = new Group();
    private final Group nodeLayer = new Group();
    private final CubicCurve pending = new CubicCurve();
    private final Label toast = new Label();
    private final PauseTransition toastTimer = new PauseTransition(Duration.seconds(5));
    private final Map<String, NodeSkin> nodeSkins = new LinkedHashMap<>();
    private final List<EdgeSkin> edgeSkins = new ArrayList<>();
    private final Map<String, NodeDecoration> decorations = new HashMap<>();
    private final ObservableList<String> selection = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper(this, "refusal", "");
    private final DoubleProperty zoom = new SimpleDoubleProperty(this, "zoom", 1);
    private GraphEdge selectedEdge;
    private Function<PlacedType, Optional<GraphNode>> nodeFactory = placed -> Optional.empty();
    private List<GraphNode> clipboard = List.of();
    private List<GraphEdge> clipboardEdges = List.of();
    private boolean refreshQueued;
    private Point2D panAnchor;
    private Map<String, double[]> dragStart;
    private Point2D dragAnchor;

    /** A node type placed at a world position (palette drop). */
    public record PlacedType(String type, double x, double y) {
    }

    public GraphCanvas(GraphModel model, CommandStack commands, ConnectionRule rule) {
        this.model = model;
        this.commands = commands;
        this.rule = rule;
        getStyleClass().add(STYLE_CLASS);
        setFocusTraversable(true);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);

        pending.getStyleClass().addAll(EdgeSkin.STYLE_CLASS, "graph-edge-pending");
        pending.setVisible(false);
        pending.setMouseTransparent(true);
        world.getChildren().addAll(edgeLayer, nodeLayer, pending);
        // scale about the world's origin (Node.scaleX pivots on the centre, which moves as nodes are added)
        Scale scale = new Scale();
        scale.xProperty().bind(zoom);
        scale.yProperty().bind(zoom);
        world.getTransforms().add(scale);
        toast.getStyleClass().add("graph-toast");
        toast.setVisible(false);
        toast.setMouseTransparent(true);
        toast.setWrapText(true);
        toast.maxWidthProperty().bind(widthProperty().subtract(40));
        toastTimer.setOnFinished(e -> toast.setVisible(false));
        getChildren().addAll(world, toast);

        model.addListener(this::queueRefresh);
        selection.addListener((javafx.collections.ListChangeListener<String>) c -> showSelection());
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::backgroundPressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::backgroundDragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, e -> panAnchor = null);
        addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        refresh();
    }

    public GraphModel model() {
        return model;
    }

    public CommandStack commands() {
        return commands;
    }

    /** The ids of the selected nodes, in selection order. */
    public ObservableList<String> selection() {
        return selection;
    }

    /** The last refused connection's reason; empty until one is refused. */
    public ReadOnlyStringProperty refusalProperty() {
        return refusal.getReadOnlyProperty();
    }

    /** Zoom factor of the world (1 = 100 %). */
    public DoubleProperty zoomProperty() {
        return zoom;
    }

    /** Makes the nodes a palette drops: type and world position in, node out (empty to refuse). */
    public void setNodeFactory(Function<PlacedType, Optional<GraphNode>> factory) {
        this.nodeFactory = factory;
    }

    /** The skin of a node, once the canvas has caught up with the model. */
    public Optional<NodeSkin> skin(String nodeId) {
        return Optional.ofNullable(nodeSkins.get(nodeId));
    }

    /** The edge skins drawn now. */
    public List<EdgeSkin> edgeSkins() {
        return List.copyOf(edgeSkins);
    }

    /** Sets what a node shows besides its ports; applied at once. */
    public void decorate(String nodeId, NodeDecoration decoration) {
        decorations.put(nodeId, decoration);
        NodeSkin skin = nodeSkins.get(nodeId);
        if (skin != null) {
            skin.decorate(decoration);
            layoutEdges();
        }
    }

    /** What a node shows now. */
    public NodeDecoration decoration(String nodeId) {
        return decorations.getOrDefault(nodeId, NodeDecoration.NONE);
    }

    /**
     * Adds a node of {@code type} where the scene point falls, as a palette drop does; false when the point is
     * outside the canvas or the factory refuses the type.
     */
    public boolean dropAt(String type, double sceneX, double sceneY) {
        Point2D local = sceneToLocal(sceneX, sceneY);
        if (local == null || !contains(local)) {
            return false;
        }
        Point2D at = toWorld(local);
        Optional<GraphNode> node = nodeFactory.apply(new PlacedType(type, at.getX() - NodeSkin.WIDTH / 2, at.getY() - 20));
        node.ifPresent(n -> {
            commands.run(GraphCommands.add(model, List.of(n), List.of()));
            selection.setAll(n.id());
        });
        return node.isPresent();
    }

    /** Tries to connect two ports through the rule; a refusal is shown and returned. */
    public Optional<String> connect(GraphEdge edge) {
        Optional<String> refused = rule.refuse(model, edge);
        if (refused.isPresent()) {
            refuse(refused.get());
        } else {
            commands.run(GraphCommands.connect(model, edge));
        }
        return refused;
    }

    /** Deletes the selected nodes (with their edges), or the selected edge. */
    public void deleteSelection() {
        if (!selection.isEmpty()) {
            commands.run(GraphCommands.remove(model, Set.copyOf(selection)));
            selection.clear();
        } else if (selectedEdge != null) {
            commands.run(GraphCommands.disconnect(model, selectedEdge));
            selectedEdge = null;
        }
    }

    /** Copies the selected nodes and the edges among them. */
    public void copySelection() {
        Set<String> ids = Set.copyOf(selection);
        clipboard = model.nodes().stream().filter(n -> ids.contains(n.id())).toList();
        clipboardEdges = model.edges().stream()
                .filter(e -> ids.contains(e.fromNode()) && ids.contains(e.toNode())).toList();
    }

    /** Pastes the copied nodes shifted down-right, with fresh ids; the pasted nodes become the selection. */
    public void paste() {
        if (clipboard.isEmpty()) {
            return;
        }
        Map<String, String> renamed = new HashMap<>();
        List<GraphNode> copies = new ArrayList<>();
        GraphModel scratch = new GraphModel();
        model.nodes().forEach(n -> scratch.insertNode(Integer.MAX_VALUE, n));
        for (GraphNode node : clipboard) {
            String id = scratch.freeId(node.id());
            GraphNode copy = node.copy(id, node.x() + PASTE_OFFSET, node.y() + PASTE_OFFSET);
            scratch.insertNode(Integer.MAX_VALUE, copy);
            renamed.put(node.id(), id);
            copies.add(copy);
        }
        List<GraphEdge> edges = clipboardEdges.stream().map(e -> new GraphEdge(renamed.get(e.fromNode()),
                e.fromPort(), renamed.get(e.toNode()), e.toPort())).toList();
        commands.run(GraphCommands.add(model, copies, edges));
        selection.setAll(copies.stream().map(GraphNode::id).toList());
        clipboard = copies;
        clipboardEdges = edges;
    }

    /** Lays the graph out left to right by longest path from the sources, as one undoable move. */
    public void autoLayout() {
        commands.run(layoutCommand());
    }

    /** The move {@link #autoLayout()} runs, for hosts that place a new graph without an undo step. */
    public Command layoutCommand() {
        Map<String, Integer> layer = new HashMap<>();
        for (GraphNode node : model.nodes()) {
            layerOf(node.id(), layer, new HashSet<>());
        }
        Map<Integer, Double> nextY = new HashMap<>();
        Map<String, double[]> to = new LinkedHashMap<>();
        for (GraphNode node : model.nodes()) {
            int l = layer.get(node.id());
            double y = nextY.getOrDefault(l, 0.0);
            to.put(node.id(), new double[] {40 + l * LAYER_GAP, 40 + y});
            NodeSkin skin = nodeSkins.get(node.id());
            double height = skin == null ? 120 : skin.prefHeight(-1);
            nextY.put(l, y + height + ROW_GAP);
        }
        return GraphCommands.move(model, "Auto layout", to);
    }

    /** Zooms and pans so that every node is in view. */
    public void zoomToFit() {
        if (nodeSkins.isEmpty() || getWidth() <= 0) {
            return;
        }
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (NodeSkin skin : nodeSkins.values()) {
            minX = Math.min(minX, skin.getLayoutX());
            minY = Math.min(minY, skin.getLayoutY());
            maxX = Math.max(maxX, skin.getLayoutX() + NodeSkin.WIDTH);
            maxY = Math.max(maxY, skin.getLayoutY() + skin.prefHeight(-1));
        }
        double margin = 30;
        double scale = Math.min(1.2, Math.min((getWidth() - 2 * margin) / (maxX - minX),
                (getHeight() - 2 * margin) / (maxY - minY)));
        zoom.set(clamp(scale));
        double z = zoom.get();
        world.setTranslateX((getWidth() - (maxX - minX) * z) / 2 - minX * z);
        world.setTranslateY((getHeight() - (maxY - minY) * z) / 2 - minY * z);
    }

    /** A world point (unscaled model coordinates) in this canvas's coordinates. */
    public Point2D worldToLocal(double x, double y) {
        return new Point2D(world.getTranslateX() + x * zoom.get(), world.getTranslateY() + y * zoom.get());
    }

    private Point2D toWorld(Point2D local) {
        return new Point2D((local.getX() - world.getTranslateX()) / zoom.get(),
                (local.getY() - world.getTranslateY()) / zoom.get());
    }

    private int layerOf(String id, Map<String, Integer> layer, Set<String> visiting) {
        Integer known = layer.get(id);
        if (known != null) {
            return known;
        }
        int l = 0;
        if (visiting.add(id)) {
            for (GraphEdge edge : model.incoming(id)) {
                l = Math.max(l, layerOf(edge.fromNode(), layer, visiting) + 1);
            }
        }
        layer.put(id, l);
        return l;
    }

    private void queueRefresh() {
        if (refreshQueued) {
            return;
        }
        refreshQueued = true;
        Platform.runLater(this::refresh);
    }

    /** Brings the skins in line with the model: new nodes get skins, gone ones lose them, edges are redrawn. */
    private void refresh() {
        refreshQueued = false;
        Set<String> ids = model.nodes().stream().map(GraphNode::id).collect(Collectors.toSet());
        nodeSkins.keySet().removeIf(id -> {
            if (!ids.contains(id)) {
                nodeLayer.getChildren().remove(nodeSkins.get(id));
                return true;
            }
            return false;
        });
        for (GraphNode node : model.nodes()) {
            NodeSkin skin = nodeSkins.get(node.id());
            if (skin == null || skin.node() != node) {
                if (skin != null) {
                    nodeLayer.getChildren().remove(skin);
                }
                skin = createSkin(node);
                nodeSkins.put(node.id(), skin);
                nodeLayer.getChildren().add(skin);
            }
            skin.relocate(node.x(), node.y());
        }
        selection.removeIf(id -> !ids.contains(id));
        edgeLayer.getChildren().clear();
        edgeSkins.clear();
        for (GraphEdge edge : model.edges()) {
            NodeSkin from = nodeSkins.get(edge.fromNode());
            PortDef port = from == null ? null : from.node().output(edge.fromPort());
            EdgeSkin skin = new EdgeSkin(edge, port == null ? "unknown" : port.type());
            skin.setOnMousePressed(e -> {
                selectedEdge = edge;
                selection.clear();
                showSelection();
                requestFocus();
                e.consume();
            });
            edgeSkins.add(skin);
            edgeLayer.getChildren().add(skin);
        }
        if (selectedEdge != null && !model.edges().contains(selectedEdge)) {
            selectedEdge = null;
        }
        showSelection();
        layoutEdges();
    }

    private NodeSkin createSkin(GraphNode node) {
        NodeSkin skin = new NodeSkin(node);
        skin.decorate(decorations.getOrDefault(node.id(), NodeDecoration.NONE));
        skin.setOnMousePressed(e -> nodePressed(skin, e));
        skin.setOnMouseDragged(e -> nodeDragged(e));
        skin.setOnMouseReleased(e -> nodeReleased());
        for (PortDef port : node.outputs()) {
            Circle circle = skin.outputPort(port.name());
            circle.setOnMousePressed(e -> {
                if (e.getButton() == MouseButton.PRIMARY) {
                    pending.setVisible(true);
                    dragPending(skin, port, e);
                }
                e.consume();
            });
            circle.setOnMouseDragged(e -> {
                dragPending(skin, port, e);
                e.consume();
            });
            circle.setOnMouseReleased(e -> {
                pending.setVisible(false);
                inputPortAt(e.getSceneX(), e.getSceneY()).ifPresent(target ->
                        connect(new GraphEdge(node.id(), port.name(), target.node().id(), target.port().name())));
                e.consume();
            });
        }
        return skin;
    }

    private record PortHit(GraphNode node, PortDef port) {
    }

    private Optional<PortHit> inputPortAt(double sceneX, double sceneY) {
        for (NodeSkin skin : nodeSkins.values()) {
            for (PortDef port : skin.node().inputs()) {
                Circle circle = skin.inputPort(port.name());
                Bounds bounds = circle.localToScene(circle.getBoundsInLocal());
                double slack = NodeSkin.PORT_RADIUS;
                if (sceneX >= bounds.getMinX() - slack && sceneX <= bounds.getMaxX() + slack
                        && sceneY >= bounds.getMinY() - slack && sceneY <= bounds.getMaxY() + slack) {
                    return Optional.of(new PortHit(skin.node(), port));
                }
            }
        }
        return Optional.empty();
    }

    private void dragPending(NodeSkin skin, PortDef port, MouseEvent e) {
        Point2D from = skin.portCentre(true, port.name(), skin.getLayoutX(), skin.getLayoutY());
        Point2D to = world.sceneToLocal(e.getSceneX(), e.getSceneY());
        pending.setStartX(from.getX());
        pending.setStartY(from.getY());
        pending.setEndX(to.getX());
        pending.setEndY(to.getY());
        double pull = Math.max(40, Math.abs(to.getX() - from.getX()) / 2);
        pending.setControlX1(from.getX() + pull);
        pending.setControlY1(from.getY());
        pending.setControlX2(to.getX() - pull);
        pending.setControlY2(to.getY());
    }

    private void nodePressed(NodeSkin skin, MouseEvent e) {
        requestFocus();
        selectedEdge = null;
        String id = skin.node().id();
        if (e.isShiftDown() || e.isShortcutDown()) {
            if (!selection.remove(id)) {
                selection.add(id);
            }
        } else if (!selection.contains(id)) {
            selection.setAll(id);
        }
        showSelection();
        dragAnchor = new Point2D(e.getSceneX(), e.getSceneY());
        dragStart = new LinkedHashMap<>();
        for (String selected : selection) {
            NodeSkin s = nodeSkins.get(selected);
            dragStart.put(selected, new double[] {s.getLayoutX(), s.getLayoutY()});
        }
        e.consume();
    }

    private void nodeDragged(MouseEvent e) {
        if (dragStart == null) {
            return;
        }
        double dx = (e.getSceneX() - dragAnchor.getX()) / zoom.get();
        double dy = (e.getSceneY() - dragAnchor.getY()) / zoom.get();
        dragStart.forEach((id, xy) -> nodeSkins.get(id).relocate(xy[0] + dx, xy[1] + dy));
        layoutEdges();
        e.consume();
    }

    private void nodeReleased() {
        if (dragStart == null) {
            return;
        }
        Map<String, double[]> to = new LinkedHashMap<>();
        boolean moved = false;
        for (Map.Entry<String, double[]> start : dragStart.entrySet()) {
            NodeSkin skin = nodeSkins.get(start.getKey());
            to.put(start.getKey(), new double[] {skin.getLayoutX(), skin.getLayoutY()});
            moved |= skin.getLayoutX() != start.getValue()[0] || skin.getLayoutY() != start.getValue()[1];
        }
        dragStart = null;
        if (moved) {
            commands.run(GraphCommands.move(model, to.size() == 1 ? "Move " + to.keySet().iterator().next()
                    : "Move " + to.size() + " nodes", to));
        }
    }

    private void layoutEdges() {
        for (EdgeSkin skin : edgeSkins) {
            NodeSkin from = nodeSkins.get(skin.edge().fromNode());
            NodeSkin to = nodeSkins.get(skin.edge().toNode());
            if (from != null && to != null) {
                skin.connect(from.portCentre(true, skin.edge().fromPort(), from.getLayoutX(), from.getLayoutY()),
                        to.portCentre(false, skin.edge().toPort(), to.getLayoutX(), to.getLayoutY()));
            }
        }
    }

    private void showSelection() {
        nodeSkins.forEach((id, skin) -> skin.pseudoClassStateChanged(NodeSkin.SELECTED, selection.contains(id)));
        edgeSkins.forEach(skin -> skin.pseudoClassStateChanged(EdgeSkin.SELECTED, skin.edge().equals(selectedEdge)));
    }

    private void refuse(String reason) {
        refusal.set(reason);
        toast.setText("Cannot connect: " + reason);
        toast.setVisible(true);
        toast.relocate(20, 14);
        toastTimer.playFromStart();
    }

    private void backgroundPressed(MouseEvent e) {
        requestFocus();
        if (e.isConsumed()) {
            return;
        }
        selection.clear();
        selectedEdge = null;
        showSelection();
        panAnchor = new Point2D(e.getX() - world.getTranslateX(), e.getY() - world.getTranslateY());
    }

    private void backgroundDragged(MouseEvent e) {
        if (panAnchor != null && dragStart == null) {
            world.setTranslateX(e.getX() - panAnchor.getX());
            world.setTranslateY(e.getY() - panAnchor.getY());
        }
    }

    private void scrolled(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        double old = zoom.get();
        double next = clamp(old * (e.getDeltaY() > 0 ? 1.1 : 1 / 1.1));
        // keep the world point under the pointer where it is
        Point2D anchor = toWorld(new Point2D(e.getX(), e.getY()));
        zoom.set(next);
        world.setTranslateX(e.getX() - anchor.getX() * next);
        world.setTranslateY(e.getY() - anchor.getY() * next);
        e.consume();
    }

    private void keyPressed(KeyEvent e) {
        boolean shortcut = e.isShortcutDown();
        KeyCode code = e.getCode();
        if (code == KeyCode.DELETE || code == KeyCode.BACK_SPACE) {
            deleteSelection();
        } else if (shortcut && code == KeyCode.A) {
            selection.setAll(model.nodes().stream().map(GraphNode::id).toList());
        } else if (shortcut && code == KeyCode.C) {
            copySelection();
        } else if (shortcut && code == KeyCode.V) {
            paste();
        } else if (shortcut && code == KeyCode.D) {
            copySelection();
            paste();
        } else if (shortcut && code == KeyCode.Z && e.isShiftDown() || shortcut && code == KeyCode.Y) {
            commands.redo();
        } else if (shortcut && code == KeyCode.Z) {
            commands.undo();
        } else if (code == KeyCode.L && !shortcut) {
            autoLayout();
        } else {
            return;
        }
        e.consume();
    }

    private static double clamp(double z) {
        return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
    }

    @Override
    protected void layoutChildren() {
        // the world and the toast are placed by hand; only give them their preferred sizes
        for (Node child : getChildren()) {
            if (child.isResizable() && child.isManaged()) {
                child.autosize();
            }
        }
    }
}
