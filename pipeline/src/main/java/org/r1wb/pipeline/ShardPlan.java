package org.r1wb.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineGraph;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.CorpusWideDecision;
import org.r1wb.pipeline.stage.DocumentSource;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;

/**
 * The part of a pipeline that a sharded run spreads over tasks: in graph order, every reader, and every per-document
 * stage fed only by such nodes whose processor is stateless or whose stage is a {@link CorpusWideDecision}. The rest
 * (mixing, tokenizer training, shards, stateful plugin stages) runs in the merge.
 *
 * <p>Documents are told apart by their <em>segment</em> and their reader's document number: a node's input is its
 * edges' outputs one after the other, so its segments are its inputs' segments renumbered edge by edge (a reader has
 * one). Within a segment the documents come from one reader along one path in reading order, so (segment, number)
 * sorts a node's documents into single-process order whichever shard holds them.
 */
final class ShardPlan {

    /** The folder under {@code data/} that holds shard outputs. */
    static final String DIR = ".shards";

    /**
     * A node of the sharded part.
     *
     * @param inputs the nodes feeding it, in edge order, each with the offset added to its segments
     */
    record Node(NodeSpec spec, Stage stage, StageParams params, String digest, List<Input> inputs, int segments) {

        /** The name of this node's records file in a shard folder. */
        String recordsFile(int position) {
            return "node-" + position + ".records";
        }

        /** True when the merge decides this node (a deduplicator); false when each shard does. */
        boolean decidedInMerge() {
            return stage instanceof CorpusWideDecision<?>;
        }
    }

    /** An edge into a sharded node. */
    record Input(String from, int segmentOffset) {
    }

    private final List<Node> nodes;

    private ShardPlan(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** The sharded part of {@code spec}, in graph order. */
    static ShardPlan of(PipelineSpec spec, StageRegistry registry, PipelineDigest digest) {
        PipelineGraph graph = new PipelineGraph(spec);
        Map<String, Node> planned = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (NodeSpec node : graph.order()) {
            Stage stage = registry.find(node.stage()).orElseThrow();
            StageParams params = new StageParams(stage.params(), node.params());
            List<Input> inputs = new ArrayList<>();
            int segments = 0;
            boolean fedBySharded = true;
            for (EdgeSpec edge : graph.incoming(node.id())) {
                Node from = planned.get(edge.from());
                if (from == null) {
                    fedBySharded = false;
                    break;
                }
                inputs.add(new Input(from.spec().id(), segments));
                segments += from.segments();
            }
            boolean shardable = stage instanceof DocumentSource
                    || stage instanceof PerDocumentStage perDocument && fedBySharded && !inputs.isEmpty()
                    && (stage instanceof CorpusWideDecision<?> || perDocument.processor(params).stateless());
            if (shardable) {
                Node planNode = new Node(node, stage, params, digest.nodes().get(node.id()), inputs,
                        stage instanceof DocumentSource ? 1 : segments);
                planned.put(node.id(), planNode);
                nodes.add(planNode);
            }
        }
        return new ShardPlan(nodes);
    }

    /** The sharded nodes in graph order. */
    List<Node> nodes() {
        return nodes;
    }

    /** How many sharded nodes read each sharded node's output, by node id. */
    Map<String, Integer> consumers() {
        Map<String, Integer> consumers = new HashMap<>();
        nodes.forEach(n -> n.inputs().forEach(in -> consumers.merge(in.from(), 1, Integer::sum)));
        return consumers;
    }

    /** Drops from {@code outputs} what no sharded node after {@code node} still reads. */
    static void release(Node node, Map<String, ?> outputs, Map<String, Integer> consumersLeft) {
        for (Input input : node.inputs()) {
            if (consumersLeft.merge(input.from(), -1, Integer::sum) <= 0) {
                outputs.remove(input.from());
            }
        }
    }

    /** The folder of every shard of the run {@code runDigest} cut into {@code count} shards. */
    static Path runDir(Path workspace, String runDigest, int count) {
        return workspace.resolve(PipelineRunner.DATA_DIR).resolve(DIR).resolve(runDigest + "-of-" + count);
    }

    /** The finished output of one shard (present only once complete). */
    static Path shardDir(Path workspace, String runDigest, ShardSlice slice) {
        return runDir(workspace, runDigest, slice.count()).resolve("shard-" + slice.index());
    }
}
