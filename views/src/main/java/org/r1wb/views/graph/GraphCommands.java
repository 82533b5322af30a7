package org.r1wb.views.graph;

import org.r1wb.views.command.Command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The undoable edits of a {@link GraphModel}; run them on a {@link org.r1wb.views.command.CommandStack}. */
public final class GraphCommands {

    private GraphCommands() {
    }

    /** Adds nodes and edges among them (drop from a palette, paste). */
    public static Command add(GraphModel model, List<GraphNode> nodes, List<GraphEdge> edges) {
        List<GraphNode> added = List.copyOf(nodes);
        List<GraphEdge> addedEdges = List.copyOf(edges);
        String label = added.size() == 1 ? "Add " + added.get(0).id() : "Add " + added.size() + " nodes";
        return new Command() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public void execute() {
                added.forEach(node -> model.insertNode(Integer.MAX_VALUE, node));
                addedEdges.forEach(edge -> model.insertEdge(Integer.MAX_VALUE, edge));
            }

            @Override
            public void undo() {
                addedEdges.forEach(model::removeEdge);
                for (int i = added.size() - 1; i >= 0; i--) {
                    model.removeNode(added.get(i));
                }
            }
        };
    }

    /** Removes nodes with every edge touching them; undo puts all back at their former places. */
    public static Command remove(GraphModel model, Collection<String> nodeIds) {
        return new Command() {
            private final List<Map.Entry<Integer, GraphNode>> removedNodes = new ArrayList<>();
            private final List<Map.Entry<Integer, GraphEdge>> removedEdges = new ArrayList<>();

            @Override
            public String label() {
                return nodeIds.size() == 1 ? "Delete " + nodeIds.iterator().next() : "Delete " + nodeIds.size() + " nodes";
            }

            @Override
            public void execute() {
                removedNodes.clear();
                removedEdges.clear();
                for (GraphEdge edge : List.copyOf(model.edges())) {
                    if (nodeIds.contains(edge.fromNode()) || nodeIds.contains(edge.toNode())) {
                        removedEdges.add(Map.entry(model.removeEdge(edge), edge));
                    }
                }
                for (GraphNode node : List.copyOf(model.nodes())) {
                    if (nodeIds.contains(node.id())) {
                        removedNodes.add(Map.entry(model.removeNode(node), node));
                    }
                }
            }

            @Override
            public void undo() {
                // reinsert in reverse removal order so each index is the one it was removed from
                for (int i = removedNodes.size() - 1; i >= 0; i--) {
                    model.insertNode(removedNodes.get(i).getKey(), removedNodes.get(i).getValue());
                }
                for (int i = removedEdges.size() - 1; i >= 0; i--) {
                    model.insertEdge(removedEdges.get(i).getKey(), removedEdges.get(i).getValue());
                }
            }
        };
    }

    /** Adds one edge (check it with a {@link ConnectionRule} first). */
    public static Command connect(GraphModel model, GraphEdge edge) {
        return new Command() {
            @Override
            public String label() {
                return "Connect " + edge.fromNode() + " → " + edge.toNode();
            }

            @Override
            public void execute() {
                model.insertEdge(Integer.MAX_VALUE, edge);
            }

            @Override
            public void undo() {
                model.removeEdge(edge);
            }
        };
    }

    /** Removes one edge. */
    public static Command disconnect(GraphModel model, GraphEdge edge) {
        return new Command() {
            private int index;

            @Override
            public String label() {
                return "Disconnect " + edge.fromNode() + " → " + edge.toNode();
            }

            @Override
            public void execute() {
                index = model.removeEdge(edge);
            }

            @Override
            public void undo() {
                model.insertEdge(index, edge);
            }
        };
    }

    /** Moves nodes to new positions (a drag, an auto-layout); {@code to} maps node id to {x, y}. */
    public static Command move(GraphModel model, String label, Map<String, double[]> to) {
        Map<String, double[]> from = new LinkedHashMap<>();
        to.keySet().forEach(id -> model.node(id).ifPresent(n -> from.put(id, new double[] {n.x(), n.y()})));
        return new Command() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public void execute() {
                place(to);
            }

            @Override
            public void undo() {
                place(from);
            }

            private void place(Map<String, double[]> positions) {
                positions.forEach((id, xy) -> model.node(id).ifPresent(n -> model.move(n, xy[0], xy[1])));
            }
        };
    }

    /** Sets (or, with null, clears) a parameter of a node. */
    public static Command setParam(GraphModel model, String nodeId, String name, Object value) {
        GraphNode node = model.node(nodeId).orElseThrow(() -> new IllegalArgumentException("no node " + nodeId));
        Object old = node.params().get(name);
        return new Command() {
            @Override
            public String label() {
                return "Set " + nodeId + "." + name;
            }

            @Override
            public void execute() {
                model.setParam(node, name, value);
            }

            @Override
            public void undo() {
                model.setParam(node, name, old);
            }
        };
    }

    /** Replaces the whole graph (a text edit of the file); undo restores the graph as it was. */
    public static Command replace(GraphModel model, List<GraphNode> nodes, List<GraphEdge> edges) {
        List<GraphNode> newNodes = List.copyOf(nodes);
        List<GraphEdge> newEdges = List.copyOf(edges);
        List<GraphNode> oldNodes = List.copyOf(model.nodes());
        List<GraphEdge> oldEdges = List.copyOf(model.edges());
        return new Command() {
            @Override
            public String label() {
                return "Edit text";
            }

            @Override
            public void execute() {
                swap(oldNodes, oldEdges, newNodes, newEdges);
            }

            @Override
            public void undo() {
                swap(newNodes, newEdges, oldNodes, oldEdges);
            }

            private void swap(List<GraphNode> outNodes, List<GraphEdge> outEdges,
                              List<GraphNode> inNodes, List<GraphEdge> inEdges) {
                outEdges.forEach(model::removeEdge);
                outNodes.forEach(model::removeNode);
                inNodes.forEach(node -> model.insertNode(Integer.MAX_VALUE, node));
                inEdges.forEach(edge -> model.insertEdge(Integer.MAX_VALUE, edge));
            }
        };
    }
}
