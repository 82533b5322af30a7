package org.r1wb.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineGraph;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.DocumentSource;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;

/**
 * Finds the chain a node heads: a reader or per-document stage, followed as long as the next node is a per-document
 * stage that still has to run and is fed by the current one alone. Other consumers of a chain member read its
 * output from the node cache later, as for any finished node.
 */
final class StreamPlanner {

    private final PipelineSpec spec;
    private final PipelineGraph graph;
    private final StageRegistry registry;
    private final PipelineDigest digest;

    StreamPlanner(PipelineSpec spec, PipelineGraph graph, StageRegistry registry, PipelineDigest digest) {
        this.spec = spec;
        this.graph = graph;
        this.registry = registry;
        this.digest = digest;
    }

    /**
     * The chain headed by {@code head}, or null when its stage does not stream.
     *
     * @param wanted   the nodes this run brings up to date
     * @param cached   whether a node already has a cache entry
     * @param finished the entries of the nodes already done (every node feeding {@code head} is)
     */
    StreamSegment plan(NodeSpec head, Set<String> wanted, Predicate<String> cached,
                       Map<String, NodeCache.Entry> finished) {
        Stage headStage = stageOf(head);
        if (!(headStage instanceof DocumentSource) && !(headStage instanceof PerDocumentStage)) {
            return null;
        }
        List<StreamSegment.Upstream> upstream = new ArrayList<>();
        for (EdgeSpec edge : graph.incoming(head.id())) {
            Stage from = stageOf(node(edge.from()));
            String port = edge.fromPort() != null ? edge.fromPort() : from.outputs().get(0).name();
            upstream.add(new StreamSegment.Upstream(finished.get(edge.from()), port));
        }
        List<StreamSegment.Node> chain = new ArrayList<>();
        chain.add(new StreamSegment.Node(head, headStage, digest.nodes().get(head.id())));
        for (NodeSpec next = follower(head, wanted, cached); next != null; next = follower(next, wanted, cached)) {
            chain.add(new StreamSegment.Node(next, stageOf(next), digest.nodes().get(next.id())));
        }
        return new StreamSegment(chain, upstream);
    }

    /** The first node that can stream right after {@code current}, or null. */
    private NodeSpec follower(NodeSpec current, Set<String> wanted, Predicate<String> cached) {
        for (EdgeSpec edge : spec.edges()) {
            if (!edge.from().equals(current.id()) || !wanted.contains(edge.to()) || cached.test(edge.to())) {
                continue;
            }
            boolean mainPorts = (edge.fromPort() == null || edge.fromPort().equals(Port.MAIN))
                    && (edge.toPort() == null || edge.toPort().equals(Port.MAIN));
            NodeSpec to = node(edge.to());
            if (mainPorts && stageOf(to) instanceof PerDocumentStage && graph.incoming(to.id()).size() == 1) {
                return to;
            }
        }
        return null;
    }

    private Stage stageOf(NodeSpec node) {
        return registry.find(node.stage()).orElseThrow();
    }

    private NodeSpec node(String id) {
        return spec.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }
}
