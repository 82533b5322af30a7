package org.r1wb.pipeline.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.r1wb.pipeline.InvalidPipelineException;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.ParamType;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;

/**
 * Checks a pipeline without running it and returns every problem, each with a path ({@code nodes[3].params.vocabSize}),
 * a message and a fix: format, node ids, unknown stages, unknown / missing / ill-typed / out-of-range parameters,
 * stage-specific checks, dangling edges, unknown ports, port type mismatches, unconnected inputs and cycles.
 */
public final class PipelineValidator {

    private final StageRegistry registry;

    public PipelineValidator(StageRegistry registry) {
        this.registry = registry;
    }

    /** Reads and validates a file; a file that does not parse gives its parse problem. */
    public List<Problem> validateFile(Path file, Path workspace) throws IOException {
        try {
            return validate(PipelineSpec.read(file), workspace);
        } catch (InvalidPipelineException e) {
            return e.problems();
        }
    }

    /** Structural validation only (input files are not looked at). */
    public List<Problem> validate(PipelineSpec spec) {
        return validate(spec, null);
    }

    /** Validates, and when {@code workspace} is given also checks that input paths exist there. */
    public List<Problem> validate(PipelineSpec spec, Path workspace) {
        List<Problem> problems = new ArrayList<>();
        if (spec.format() != PipelineSpec.FORMAT) {
            problems.add(new Problem("format", "format is " + spec.format() + ", this version reads "
                    + PipelineSpec.FORMAT, "set \"format\": " + PipelineSpec.FORMAT));
        }
        if (spec.name() == null || spec.name().isBlank()) {
            problems.add(new Problem("name", "the pipeline has no name", "add \"name\": \"my-pipeline\""));
        }
        if (spec.nodes().isEmpty()) {
            problems.add(new Problem("nodes", "the pipeline has no nodes",
                    "add nodes such as {\"id\": \"read\", \"stage\": \"read.text\", \"params\": {\"path\": \"...\"}}"));
        }
        Map<String, Stage> stageOf = checkNodes(spec, workspace, problems);
        checkEdges(spec, stageOf, problems);
        checkInputs(spec, stageOf, problems);
        checkCycles(spec, problems);
        return problems;
    }

    private Map<String, Stage> checkNodes(PipelineSpec spec, Path workspace, List<Problem> problems) {
        Map<String, Stage> stageOf = new HashMap<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < spec.nodes().size(); i++) {
            String at = "nodes[" + i + "]";
            NodeSpec node = spec.nodes().get(i);
            if (node == null) {
                problems.add(new Problem(at, "the node is null", "remove it or write a node object"));
                continue;
            }
            if (node.id() == null || node.id().isBlank()) {
                problems.add(new Problem(at + ".id", "the node has no id", "add \"id\": \"a-unique-name\""));
            } else if (firstIndex.putIfAbsent(node.id(), i) != null) {
                problems.add(new Problem(at + ".id", "id '" + node.id() + "' is already used by nodes["
                        + firstIndex.get(node.id()) + "]", "rename one of them"));
            }
            Optional<Stage> stage = node.stage() == null ? Optional.empty() : registry.find(node.stage());
            if (stage.isEmpty()) {
                problems.add(new Problem(at + ".stage", node.stage() == null ? "the node has no stage"
                        : "unknown stage '" + node.stage() + "'", "use one of: " + stageIds()));
                continue;
            }
            if (node.id() != null) {
                stageOf.putIfAbsent(node.id(), stage.get());
            }
            checkParams(node, stage.get(), workspace).forEach(p -> problems.add(p.under(at)));
        }
        return stageOf;
    }

    private List<Problem> checkParams(NodeSpec node, Stage stage, Path workspace) {
        List<Problem> problems = new ArrayList<>();
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        stage.params().forEach(p -> specs.put(p.name(), p));
        node.params().forEach((name, value) -> {
            ParamSpec spec = specs.get(name);
            if (spec == null) {
                problems.add(new Problem("params." + name, "unknown parameter '" + name + "' for " + stage.id(),
                        nearest(name, specs.keySet()).map(n -> "did you mean '" + n + "'? ").orElse("")
                                + "remove it; " + stage.id() + " takes: " + String.join(", ", specs.keySet())));
            } else {
                spec.check(value).ifPresent(problems::add);
            }
        });
        for (ParamSpec spec : stage.params()) {
            if (spec.required() && !node.params().containsKey(spec.name())) {
                problems.add(new Problem("params." + spec.name(), "missing required parameter '" + spec.name()
                        + "' (" + spec.description() + ")", "add \"" + spec.name() + "\": ..."));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        StageParams params = new StageParams(stage.params(), node.params());
        problems.addAll(stage.check(params));
        if (workspace != null) {
            for (ParamSpec spec : stage.params()) {
                Path path = spec.type() == ParamType.PATH ? params.path(spec, workspace) : null;
                if (path != null && !Files.exists(path)) {
                    problems.add(new Problem("params." + spec.name(), "'" + params.string(spec)
                            + "' does not exist (looked at " + path + ")",
                            "create it, or give a path relative to the workspace root " + workspace));
                }
            }
        }
        return problems;
    }

    private void checkEdges(PipelineSpec spec, Map<String, Stage> stageOf, List<Problem> problems) {
        for (int j = 0; j < spec.edges().size(); j++) {
            String at = "edges[" + j + "]";
            EdgeSpec edge = spec.edges().get(j);
            if (edge == null) {
                problems.add(new Problem(at, "the edge is null", "remove it or write {\"from\": ..., \"to\": ...}"));
                continue;
            }
            boolean fromKnown = checkEnd(spec, at + ".from", edge.from(), problems);
            boolean toKnown = checkEnd(spec, at + ".to", edge.to(), problems);
            Stage from = stageOf.get(edge.from());
            Stage to = stageOf.get(edge.to());
            if (!fromKnown || !toKnown || from == null || to == null) {
                continue;
            }
            Port out = port(from.outputs(), edge.fromPort(), from, "output", at + ".fromPort", problems);
            Port in = port(to.inputs(), edge.toPort(), to, "input", at + ".toPort", problems);
            if (out != null && in != null && out.type() != in.type()) {
                problems.add(new Problem(at, "'" + edge.from() + "' (" + from.id() + ") gives " + out.type()
                        + " but '" + edge.to() + "' (" + to.id() + ") takes " + in.type(),
                        "connect '" + edge.to() + "' to a node that gives " + in.type()
                                + ", or put a stage that turns " + out.type() + " into " + in.type() + " between them"));
            }
        }
    }

    private boolean checkEnd(PipelineSpec spec, String at, String id, List<Problem> problems) {
        boolean known = id != null && spec.nodes().stream().anyMatch(n -> n != null && id.equals(n.id()));
        if (!known) {
            problems.add(new Problem(at, id == null ? "the edge end is missing" : "no node '" + id + "'",
                    "use one of the node ids: " + nodeIds(spec)));
        }
        return known;
    }

    private static Port port(List<Port> ports, String name, Stage stage, String kind, String at, List<Problem> problems) {
        if (ports.isEmpty()) {
            problems.add(new Problem(at, stage.id() + " has no " + kind + "s",
                    "remove this edge" + ("input".equals(kind) ? " (" + stage.id() + " is a source)" : "")));
            return null;
        }
        if (name == null) {
            return ports.get(0);
        }
        for (Port port : ports) {
            if (port.name().equals(name)) {
                return port;
            }
        }
        problems.add(new Problem(at, stage.id() + " has no " + kind + " '" + name + "'",
                "use one of: " + ports.stream().map(Port::name).collect(Collectors.joining(", "))));
        return null;
    }

    private void checkInputs(PipelineSpec spec, Map<String, Stage> stageOf, List<Problem> problems) {
        PipelineGraph graph = new PipelineGraph(spec);
        for (int i = 0; i < spec.nodes().size(); i++) {
            NodeSpec node = spec.nodes().get(i);
            Stage stage = node == null ? null : stageOf.get(node.id());
            if (stage == null || !stage.id().equals(node.stage())) {
                continue;
            }
            for (Port port : stage.inputs()) {
                long edges = graph.incoming(node.id()).stream()
                        .filter(e -> port.name().equals(e.toPort() == null ? stage.inputs().get(0).name() : e.toPort()))
                        .count();
                if (edges == 0) {
                    problems.add(new Problem("nodes[" + i + "]", "input '" + port.name() + "' of '" + node.id()
                            + "' (" + stage.id() + ") is not connected", "add an edge {\"from\": \"<a node giving "
                            + port.type() + ">\", \"to\": \"" + node.id() + "\"}"));
                } else if (edges > 1 && !port.many()) {
                    problems.add(new Problem("nodes[" + i + "]", "input '" + port.name() + "' of '" + node.id()
                            + "' (" + stage.id() + ") takes one edge but has " + edges, "keep one of those edges"));
                }
            }
        }
    }

    private static void checkCycles(PipelineSpec spec, List<Problem> problems) {
        PipelineGraph graph = new PipelineGraph(spec);
        if (graph.cyclicNodes().isEmpty()) {
            return;
        }
        // Every node left over has a predecessor that is also left over; walking predecessors must repeat a node,
        // and the walk from that node back to itself is a cycle.
        List<String> walk = new ArrayList<>();
        String current = graph.cyclicNodes().get(0);
        while (!walk.contains(current)) {
            walk.add(current);
            current = graph.incoming(current).stream().map(EdgeSpec::from)
                    .filter(graph.cyclicNodes()::contains).findFirst().orElseThrow();
        }
        List<String> cycle = new ArrayList<>(walk.subList(walk.indexOf(current), walk.size()));
        Collections.reverse(cycle);
        List<String> fileOrder = spec.nodes().stream().map(NodeSpec::id).collect(Collectors.toList());
        Collections.rotate(cycle, -cycle.indexOf(cycle.stream().min(Comparator.comparingInt(fileOrder::indexOf)).orElseThrow()));
        cycle.add(cycle.get(0));
        problems.add(new Problem("edges", "the edges form a cycle: " + String.join(" → ", cycle),
                "remove one of the edges on the cycle; a pipeline must be a DAG"));
    }

    private String stageIds() {
        return registry.all().stream().map(Stage::id).collect(Collectors.joining(", "));
    }

    private static String nodeIds(PipelineSpec spec) {
        return spec.nodes().stream().filter(n -> n != null && n.id() != null).map(NodeSpec::id)
                .collect(Collectors.joining(", "));
    }

    private static Optional<String> nearest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int d = distance(name.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance, for "did you mean" hints. */
    private static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}
