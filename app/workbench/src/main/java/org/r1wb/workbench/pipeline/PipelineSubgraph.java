package org.r1wb.workbench.pipeline;

import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineSpec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a pipeline that "Run to here" runs: a node and every node it depends on, with the same ids, stages,
 * parameters and edges. Each node's cache digest covers only itself and what feeds it, so these nodes have the
 * same digests as in the whole pipeline and a later full run finds them in the node cache.
 */
public final class PipelineSubgraph {

    private PipelineSubgraph() {
    }

    /**
     * The spec of {@code nodeId} and its ancestors, in the order of {@code spec}.
     *
     * @throws IllegalArgumentException when the pipeline has no such node
     */
    public static PipelineSpec upTo(PipelineSpec spec, String nodeId) {
        Set<String> kept = ancestorsAndSelf(spec, nodeId);
        List<NodeSpec> nodes = spec.nodes().stream().filter(n -> kept.contains(n.id())).toList();
        List<EdgeSpec> edges = spec.edges().stream()
                .filter(e -> kept.contains(e.from()) && kept.contains(e.to())).toList();
        return new PipelineSpec(spec.format(), spec.name() + " (to " + nodeId + ")", nodes, edges);
    }

    /** {@code nodeId} and every node with a path of edges into it. */
    public static Set<String> ancestorsAndSelf(PipelineSpec spec, String nodeId) {
        if (spec.nodes().stream().noneMatch(n -> n.id().equals(nodeId))) {
            throw new IllegalArgumentException("no node '" + nodeId + "' in pipeline " + spec.name());
        }
        Set<String> kept = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(nodeId));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (kept.add(id)) {
                spec.edges().stream().filter(e -> e.to().equals(id)).forEach(e -> todo.push(e.from()));
            }
        }
        return kept;
    }
}
