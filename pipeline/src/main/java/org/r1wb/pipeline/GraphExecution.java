package org.r1wb.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineGraph;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;

/**
 * One execution of a valid pipeline over the node cache: each node either loads its entry (no stage work) or runs
 * and commits a new one. With streaming on, a node that heads a chain of readers and per-document stages runs the
 * whole chain at once ({@link SegmentRun}); other nodes run over their whole input. Values are loaded from the cache
 * only when a node that runs needs them, and dropped from memory after their last consumer ran.
 */
final class GraphExecution {

    private final StageRegistry registry;
    private final PipelineSpec spec;
    private final PipelineGraph graph;
    private final PipelineDigest digest;
    private final NodeCache cache;
    private final Path workspace;
    private final PipelineListener listener;
    private final BooleanSupplier cancelled;
    private final ExecutionOptions options;
    private final StreamPlanner planner;
    private final Map<String, Integer> position = new HashMap<>();
    private final Map<String, NodeCache.Entry> entries = new HashMap<>();
    private final Map<String, Map<String, Object>> values = new HashMap<>();
    private final Map<String, Integer> consumersLeft = new HashMap<>();
    private final List<StageStats> finished = new ArrayList<>();

    GraphExecution(StageRegistry registry, PipelineSpec spec, PipelineDigest digest, NodeCache cache, Path workspace,
                   PipelineListener listener, BooleanSupplier cancelled, ExecutionOptions options) {
        this.registry = registry;
        this.spec = spec;
        this.graph = new PipelineGraph(spec);
        this.digest = digest;
        this.cache = cache;
        this.workspace = workspace;
        this.listener = new SerializedListener(listener);
        this.cancelled = cancelled;
        this.options = options;
        this.planner = new StreamPlanner(spec, graph, registry, digest);
        graph.order().forEach(n -> position.put(n.id(), position.size()));
        spec.edges().forEach(e -> consumersLeft.merge(e.from(), 1, Integer::sum));
    }

    /**
     * Brings every node in {@code wanted} (which must hold the ancestors of its members) up to date, in run order,
     * linking each node's files into {@code runDir} when it is not null; returns their statistics in run order.
     */
    List<StageStats> run(Set<String> wanted, Path runDir) throws IOException {
        List<NodeSpec> order = graph.order().stream().filter(n -> wanted.contains(n.id())).toList();
        for (int i = 0; i < order.size(); i++) {
            NodeSpec node = order.get(i);
            if (entries.containsKey(node.id())) {
                continue; // streamed with the chain an earlier node heads
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled before " + node.id());
            }
            Optional<NodeCache.Entry> hit = cache.find(digest.nodes().get(node.id()));
            StreamSegment segment = hit.isEmpty() && options.streaming()
                    ? planner.plan(node, wanted, this::isCached, entries) : null;
            if (hit.isPresent()) {
                StageStats stats = hit.get().stats();
                finished.add(stats);
                listener.onStageCached(stats, i, order.size());
                done(node, hit.get(), runDir);
            } else if (segment != null) {
                stream(segment, order, runDir);
            } else {
                listener.onStageStart(node.id(), node.stage(), i, order.size());
                NodeCache.Entry entry = execute(node, null).entry();
                listener.onStageFinish(entry.stats());
                done(node, entry, runDir);
            }
        }
        return finishedInRunOrder();
    }

    private void stream(StreamSegment segment, List<NodeSpec> order, Path runDir) throws IOException {
        for (StreamSegment.Node member : segment.nodes()) {
            listener.onStageStart(member.spec().id(), member.spec().stage(), order.indexOf(member.spec()), order.size());
            releaseInputs(member.spec());
        }
        SegmentRun.Result result = new SegmentRun(segment, cache, workspace, finishedInRunOrder(), listener, cancelled,
                options).run();
        for (int k = 0; k < segment.nodes().size(); k++) {
            NodeCache.Entry entry = result.entries().get(k);
            finished.add(entry.stats());
            listener.onStageFinish(entry.stats());
            done(segment.nodes().get(k).spec(), entry, runDir);
        }
        listener.onStreamFinished(result.report());
    }

    private void done(NodeSpec node, NodeCache.Entry entry, Path runDir) throws IOException {
        entries.put(node.id(), entry);
        if (runDir != null) {
            entry.linkFilesInto(runDir);
        }
    }

    private boolean isCached(String nodeId) {
        return cache.find(digest.nodes().get(nodeId)).isPresent();
    }

    /** The statistics so far in the graph's order, whichever order chains finished in. */
    private List<StageStats> finishedInRunOrder() {
        return finished.stream().sorted(Comparator.comparingInt(s -> position.get(s.nodeId()))).toList();
    }

    /** The result of running one node. */
    record Executed(NodeCache.Entry entry, Map<String, List<Object>> inputs, Map<String, Object> outputs) {
    }

    /**
     * Runs {@code node} now (its inputs must be up to date), recording why each document was dropped into
     * {@code dropReasons} when it is not null, and commits its cache entry.
     */
    Executed execute(NodeSpec node, Map<String, String> dropReasons) throws IOException {
        Stage stage = registry.find(node.stage()).orElseThrow();
        Map<String, List<Object>> inputs = inputsOf(node, stage);
        String nodeDigest = digest.nodes().get(node.id());
        Path temp = cache.newTemp(nodeDigest);
        try {
            NodeRun context = new NodeRun(node.id(), stage, new StageParams(stage.params(), node.params()), workspace,
                    NodeCache.filesOf(temp), nodeDigest, inputs, finishedInRunOrder(), listener, cancelled, dropReasons);
            long start = System.nanoTime();
            try {
                stage.execute(context);
            } catch (CancellationException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                String reason = e instanceof PipelineException ? e.getMessage() : e.toString();
                throw new PipelineException("node '" + node.id() + "' (" + stage.id() + ") failed: " + reason, e);
            }
            Map<String, Object> outputs = context.checkedOutputs();
            StageStats stats = context.stats((System.nanoTime() - start) / 1_000_000);
            NodeCache.Entry entry = cache.commit(temp, nodeDigest, stage.outputs(), outputs, stats);
            finished.add(stats);
            values.put(node.id(), outputs);
            return new Executed(entry, inputs, outputs);
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    private Map<String, List<Object>> inputsOf(NodeSpec node, Stage stage) throws IOException {
        Map<String, List<Object>> inputs = new LinkedHashMap<>();
        for (EdgeSpec edge : graph.incoming(node.id())) {
            Stage from = registry.find(nodeSpec(edge.from()).stage()).orElseThrow();
            String outPort = edge.fromPort() != null ? edge.fromPort() : from.outputs().get(0).name();
            String inPort = edge.toPort() != null ? edge.toPort() : stage.inputs().get(0).name();
            inputs.computeIfAbsent(inPort, k -> new ArrayList<>()).add(outputsOf(edge.from()).get(outPort));
        }
        releaseInputs(node);
        return inputs;
    }

    /** {@code node} has taken its inputs: drops values from memory that no other node still needs. */
    private void releaseInputs(NodeSpec node) {
        for (EdgeSpec edge : graph.incoming(node.id())) {
            if (consumersLeft.merge(edge.from(), -1, Integer::sum) <= 0) {
                values.remove(edge.from());
            }
        }
    }

    private Map<String, Object> outputsOf(String nodeId) throws IOException {
        Map<String, Object> loaded = values.get(nodeId);
        if (loaded == null) {
            loaded = entries.get(nodeId).load();
            values.put(nodeId, loaded);
        }
        return loaded;
    }

    /** The node with this id. */
    NodeSpec nodeSpec(String id) {
        return spec.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** Every node in the graph. */
    Set<String> allNodes() {
        Set<String> all = new LinkedHashSet<>();
        graph.order().forEach(n -> all.add(n.id()));
        return all;
    }

    /** The nodes that feed {@code nodeId}, directly or not (not the node itself). */
    Set<String> ancestors(String nodeId) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(nodeId));
        while (!todo.isEmpty()) {
            for (EdgeSpec edge : graph.incoming(todo.poll())) {
                if (seen.add(edge.from())) {
                    todo.add(edge.from());
                }
            }
        }
        return seen;
    }
}
