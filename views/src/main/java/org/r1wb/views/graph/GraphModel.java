package org.r1wb.views.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A directed graph of typed nodes and edges, free of JavaFX: the model behind {@link GraphCanvas}. Change it
 * through {@link GraphCommands} on a {@link org.r1wb.views.command.CommandStack} so every edit can be undone;
 * listeners hear each change (the canvas batches them onto the next pulse).
 */
public final class GraphModel {

    private final List<GraphNode> nodes = new ArrayList<>();
    private final List<GraphEdge> edges = new ArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** The nodes in insertion order (read-only view). */
    public List<GraphNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** The edges in insertion order (read-only view). */
    public List<GraphEdge> edges() {
        return Collections.unmodifiableList(edges);
    }

    public Optional<GraphNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The edges ending at {@code nodeId}. */
    public List<GraphEdge> incoming(String nodeId) {
        return edges.stream().filter(e -> e.toNode().equals(nodeId)).toList();
    }

    /** Whether {@code to} can be reached from {@code from} along edges (a path of length ≥ 0). */
    public boolean reaches(String from, String to) {
        Map<String, List<String>> next = new HashMap<>();
        edges.forEach(e -> next.computeIfAbsent(e.fromNode(), k -> new ArrayList<>()).add(e.toNode()));
        Set<String> seen = new HashSet<>();
        List<String> stack = new ArrayList<>(List.of(from));
        while (!stack.isEmpty()) {
            String id = stack.remove(stack.size() - 1);
            if (id.equals(to)) {
                return true;
            }
            if (seen.add(id)) {
                stack.addAll(next.getOrDefault(id, List.of()));
            }
        }
        return false;
    }

    /** An id not used yet: {@code base}, else {@code base-2}, {@code base-3}… */
    public String freeId(String base) {
        if (node(base).isEmpty()) {
            return base;
        }
        for (int i = 2; ; i++) {
            String candidate = base + "-" + i;
            if (node(candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    /** Hears every change. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    void insertNode(int index, GraphNode node) {
        if (node(node.id()).isPresent()) {
            throw new IllegalArgumentException("node id '" + node.id() + "' is already used");
        }
        nodes.add(Math.min(index, nodes.size()), node);
        fire();
    }

    int removeNode(GraphNode node) {
        int index = nodes.indexOf(node);
        nodes.remove(index);
        fire();
        return index;
    }

    void insertEdge(int index, GraphEdge edge) {
        edges.add(Math.min(index, edges.size()), edge);
        fire();
    }

    int removeEdge(GraphEdge edge) {
        int index = edges.indexOf(edge);
        if (index >= 0) {
            edges.remove(index);
            fire();
        }
        return index;
    }

    void move(GraphNode node, double x, double y) {
        node.moveTo(x, y);
        fire();
    }

    void setParam(GraphNode node, String name, Object value) {
        node.putParam(name, value);
        fire();
    }

    private void fire() {
        listeners.forEach(Runnable::run);
    }
}
