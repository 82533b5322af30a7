package org.r1wb.pipeline;

import java.util.List;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.stage.Stage;

/**
 * A chain of nodes that streams: a reader or per-document stage at the head, then per-document stages each fed only
 * by the one before it.
 *
 * @param nodes    the chain, head first
 * @param upstream the cached outputs feeding the head, in edge order (empty when the head is a reader)
 */
record StreamSegment(List<Node> nodes, List<Upstream> upstream) {

    StreamSegment {
        nodes = List.copyOf(nodes);
        upstream = List.copyOf(upstream);
    }

    /** A node of the chain with its stage and cache digest. */
    record Node(NodeSpec spec, Stage stage, String digest) {
    }

    /** A documents port of a finished node that feeds the head. */
    record Upstream(NodeCache.Entry entry, String port) {
    }

    /** The node ids, for messages. */
    List<String> ids() {
        return nodes.stream().map(n -> n.spec().id()).toList();
    }
}
