package org.r1wb.views.graph;

import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.shape.CubicCurve;

/** How one {@link GraphEdge} is drawn: a horizontal-tangent cubic curve from output port to input port. */
public final class EdgeSkin extends CubicCurve {

    public static final String STYLE_CLASS = "graph-edge";
    public static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

    private final GraphEdge edge;

    EdgeSkin(GraphEdge edge, String type) {
        this.edge = edge;
        getStyleClass().addAll(STYLE_CLASS, "graph-edge-" + NodeSkin.cssName(type));
        setPickOnBounds(false);
    }

    public GraphEdge edge() {
        return edge;
    }

    /** Places the curve between two points in world coordinates. */
    void connect(Point2D from, Point2D to) {
        setStartX(from.getX());
        setStartY(from.getY());
        setEndX(to.getX());
        setEndY(to.getY());
        double pull = Math.max(40, Math.abs(to.getX() - from.getX()) / 2);
        setControlX1(from.getX() + pull);
        setControlY1(from.getY());
        setControlX2(to.getX() - pull);
        setControlY2(to.getY());
    }
}
