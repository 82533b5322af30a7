package org.r1wb.pipeline.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The DAG view of a spec: edges by node, and a stable topological order (file order among ready nodes). */
public final class PipelineGraph {

    private final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    private final Map<String, List<EdgeSpec>> incoming = new HashMap<>();
    private final List<NodeSpec> order = new ArrayList<>();
    private final List<String> cyclic = new ArrayList<>();

    /** Builds the graph; edges naming unknown nodes are left out (the validator reports them). */
    public PipelineGraph(PipelineSpec spec) {
        for (NodeSpec node : spec.nodes()) {
            if (node != null && node.id() != null) {
                nodes.putIfAbsent(node.id(), node);
            }
        }
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> outgoing = new HashMap<>();
        nodes.keySet().forEach(id -> pending.put(id, 0));
        for (EdgeSpec edge : spec.edges()) {
            if (edge != null && nodes.containsKey(edge.from()) && nodes.containsKey(edge.to())) {
                incoming.computeIfAbsent(edge.to(), k -> new ArrayList<>()).add(edge);
                outgoing.computeIfAbsent(edge.from(), k -> new ArrayList<>()).add(edge.to());
                pending.merge(edge.to(), 1, Integer::sum);
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        nodes.keySet().stream().filter(id -> pending.get(id) == 0).forEach(ready::add);
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(nodes.get(id));
            for (String next : outgoing.getOrDefault(id, List.of())) {
                if (pending.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        nodes.keySet().stream().filter(id -> pending.get(id) > 0).forEach(cyclic::add);
    }

    /** Nodes in run order; nodes on or behind a cycle are missing. */
    public List<NodeSpec> order() {
        return order;
    }

    /** Nodes that could not be ordered because they are on, or downstream of, a cycle. */
    public List<String> cyclicNodes() {
        return cyclic;
    }

    /** Edges into a node, in file order. */
    public List<EdgeSpec> incoming(String nodeId) {
        return incoming.getOrDefault(nodeId, List.of());
    }
}
