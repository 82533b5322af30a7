package org.r1wb.workbench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.views.graph.GraphEdge;
import org.r1wb.views.graph.GraphModel;
import org.r1wb.views.graph.GraphNode;
import org.r1wb.views.graph.PortDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates between a pipeline file ({@link PipelineSpec}) and the editor's {@link GraphNode}s and
 * {@link GraphEdge}s. Parameter values stay {@link JsonNode}s, exactly as in the file; a port name is written only
 * when the stage has more than one port on that side, as hand-written files do.
 */
public final class PipelineGraphs {

    private PipelineGraphs() {
    }

    /** The nodes and edges of a graph, ready to be put into a {@link GraphModel} by one command. */
    public record Contents(List<GraphNode> nodes, List<GraphEdge> edges) {
    }

    /** The graph of {@code spec}; nodes without a position in {@code layout} are placed later by auto-layout. */
    public static Contents toGraph(PipelineSpec spec, StageRegistry registry, Map<String, double[]> layout) {
        List<GraphNode> nodes = new ArrayList<>();
        Map<String, Stage> stageOf = new LinkedHashMap<>();
        for (NodeSpec node : spec.nodes()) {
            Optional<Stage> stage = registry.find(node.stage());
            stage.ifPresent(s -> stageOf.put(node.id(), s));
            double[] xy = layout.getOrDefault(node.id(), new double[] {0, 0});
            Map<String, Object> params = new LinkedHashMap<>(node.params());
            nodes.add(new GraphNode(node.id(), node.stage(),
                    stage.map(s -> ports(s.inputs())).orElse(List.of()),
                    stage.map(s -> ports(s.outputs())).orElse(List.of()), params, xy[0], xy[1]));
        }
        List<GraphEdge> edges = new ArrayList<>();
        for (EdgeSpec edge : spec.edges()) {
            Stage from = stageOf.get(edge.from());
            Stage to = stageOf.get(edge.to());
            edges.add(new GraphEdge(edge.from(), portName(edge.fromPort(), from == null ? List.of() : from.outputs()),
                    edge.to(), portName(edge.toPort(), to == null ? List.of() : to.inputs())));
        }
        return new Contents(nodes, edges);
    }

    /** The pipeline file the graph stands for. */
    public static PipelineSpec toSpec(String name, GraphModel graph, StageRegistry registry) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (GraphNode node : graph.nodes()) {
            Map<String, JsonNode> params = new LinkedHashMap<>();
            node.params().forEach((key, value) -> params.put(key, (JsonNode) value));
            nodes.add(new NodeSpec(node.id(), node.type(), params));
        }
        List<EdgeSpec> edges = new ArrayList<>();
        for (GraphEdge edge : graph.edges()) {
            boolean namedFrom = graph.node(edge.fromNode()).map(n -> n.outputs().size() != 1).orElse(true);
            boolean namedTo = graph.node(edge.toNode()).map(n -> n.inputs().size() != 1).orElse(true);
            edges.add(new EdgeSpec(edge.fromNode(), edge.toNode(), namedFrom ? edge.fromPort() : null,
                    namedTo ? edge.toPort() : null));
        }
        return new PipelineSpec(PipelineSpec.FORMAT, name, nodes, edges);
    }

    /** A fresh node of {@code stage} with no parameters set (the stage's defaults apply). */
    public static GraphNode newNode(Stage stage, String id, double x, double y) {
        return new GraphNode(id, stage.id(), ports(stage.inputs()), ports(stage.outputs()), Map.of(), x, y);
    }

    /** A node id derived from a stage id: {@code tokenizer.train} gives {@code tokenizer-train}. */
    public static String baseId(String stageId) {
        return stageId.replace('.', '-');
    }

    private static List<PortDef> ports(List<Port> ports) {
        return ports.stream().map(p -> new PortDef(p.name(), p.type().name(), p.many())).toList();
    }

    private static String portName(String named, List<Port> ports) {
        if (named != null) {
            return named;
        }
        return ports.isEmpty() ? Port.MAIN : ports.get(0).name();
    }
}
