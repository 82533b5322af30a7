package org.r1wb.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.shards.ShardIndex;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineGraph;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.spec.PipelineValidator;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageContext;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;

/**
 * Runs a pipeline file: validates it, computes its {@link PipelineDigest}, and either returns the existing
 * {@code <workspace>/data/<digest>/} (cached, no stage runs) or executes the nodes in topological order, holding
 * values in memory, writing into a temp sibling folder that is renamed into place only when every node succeeded.
 * A folder is complete exactly when it holds {@code index.json} (written last by {@code shards.write}, or by the
 * runner for pipelines without shards) and {@code stats.json}.
 */
public final class PipelineRunner {

    /** The workspace folder that holds run outputs. */
    public static final String DATA_DIR = "data";

    /** Per-node statistics of the run that produced a folder. */
    public static final String STATS_FILE = "stats.json";

    /** Warnings kept per node (and shown); the rest are only counted. */
    private static final int WARNINGS_KEPT = 20;

    private final StageRegistry registry;

    /** A runner over the built-in stages. */
    public PipelineRunner() {
        this(StageRegistry.builtIn());
    }

    public PipelineRunner(StageRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs {@code pipelineFile} (a relative path resolves against the workspace) in {@code workspace}.
     *
     * @throws InvalidPipelineException with every problem, when the file does not validate
     * @throws PipelineException        when a node fails (the message names it, and file:line for bad data)
     * @throws CancellationException    when {@code cancelled} turned true; nothing is left behind
     */
    public PipelineResult run(Path workspace, Path pipelineFile, PipelineListener listener, BooleanSupplier cancelled)
            throws IOException {
        Path file = workspace.resolve(pipelineFile);
        PipelineSpec spec = PipelineSpec.read(file);
        List<Problem> problems = new PipelineValidator(registry).validate(spec, workspace);
        if (!problems.isEmpty()) {
            throw new InvalidPipelineException(file.toString(), problems);
        }
        String digest = PipelineDigest.compute(spec, registry, workspace);
        Path dataDir = workspace.resolve(DATA_DIR);
        Path outputDir = dataDir.resolve(digest);
        List<StageStats> previous = completedStats(outputDir, digest);
        if (previous != null) {
            return new PipelineResult(outputDir, digest, true, previous);
        }
        Files.createDirectories(dataDir);
        Path temp = Files.createTempDirectory(dataDir, ".tmp-" + digest.substring(0, 12) + "-");
        try {
            List<StageStats> stats = execute(spec, workspace, temp, digest, listener, cancelled);
            if (!Files.exists(temp.resolve(ShardIndex.FILE))) {
                ShardIndex index = new ShardIndex(ShardIndex.FORMAT, null, 0, -1, Map.of(), digest, null, null);
                AtomicFiles.write(temp.resolve(ShardIndex.FILE), out -> Json.mapper().writeValue(out, index));
            }
            AtomicFiles.write(temp.resolve(STATS_FILE), out -> Json.mapper().writeValue(out, stats));
            if (Files.exists(outputDir)) {
                // Present but not complete (damaged by hand): it is only a cache, so replace it.
                AtomicFiles.deleteTree(outputDir);
            }
            try {
                Files.move(temp, outputDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                List<StageStats> theirs = completedStats(outputDir, digest);
                if (theirs == null) {
                    throw raced;
                }
                return new PipelineResult(outputDir, digest, true, theirs);
            }
            return new PipelineResult(outputDir, digest, false, stats);
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    /** The stats of a complete output folder for {@code digest}, or null when it is absent or incomplete. */
    private static List<StageStats> completedStats(Path outputDir, String digest) {
        Path indexFile = outputDir.resolve(ShardIndex.FILE);
        Path statsFile = outputDir.resolve(STATS_FILE);
        if (!Files.isRegularFile(indexFile) || !Files.isRegularFile(statsFile)) {
            return null;
        }
        try {
            ShardIndex index = Json.mapper().readValue(indexFile.toFile(), ShardIndex.class);
            if (!digest.equals(index.digest())) {
                return null;
            }
            return Json.mapper().readValue(statsFile.toFile(), new TypeReference<List<StageStats>>() { });
        } catch (IOException unreadable) {
            return null;
        }
    }

    private List<StageStats> execute(PipelineSpec spec, Path workspace, Path outputDir, String digest,
                                     PipelineListener listener, BooleanSupplier cancelled) throws IOException {
        PipelineGraph graph = new PipelineGraph(spec);
        List<NodeSpec> order = graph.order();
        Map<String, Map<String, Object>> emitted = new HashMap<>();
        Map<String, Integer> consumersLeft = new HashMap<>();
        spec.edges().forEach(e -> consumersLeft.merge(e.from(), 1, Integer::sum));
        List<StageStats> finished = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            NodeSpec node = order.get(i);
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled before " + node.id());
            }
            Stage stage = registry.find(node.stage()).orElseThrow();
            Map<String, List<Object>> inputs = new LinkedHashMap<>();
            for (EdgeSpec edge : graph.incoming(node.id())) {
                Stage from = registry.find(spec.nodes().stream().filter(n -> n.id().equals(edge.from()))
                        .findFirst().orElseThrow().stage()).orElseThrow();
                String outPort = edge.fromPort() != null ? edge.fromPort() : from.outputs().get(0).name();
                String inPort = edge.toPort() != null ? edge.toPort() : stage.inputs().get(0).name();
                inputs.computeIfAbsent(inPort, k -> new ArrayList<>()).add(emitted.get(edge.from()).get(outPort));
            }
            RunContext context = new RunContext(node.id(), stage, new StageParams(stage.params(), node.params()),
                    workspace, outputDir, digest, inputs, List.copyOf(finished), listener, cancelled);
            listener.onStageStart(node.id(), stage.id(), i, order.size());
            long start = System.nanoTime();
            try {
                stage.execute(context);
            } catch (CancellationException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                String reason = e instanceof PipelineException ? e.getMessage() : e.toString();
                throw new PipelineException("node '" + node.id() + "' (" + stage.id() + ") failed: " + reason, e);
            }
            emitted.put(node.id(), context.checkedOutputs());
            StageStats stats = context.stats((System.nanoTime() - start) / 1_000_000);
            finished.add(stats);
            listener.onStageFinish(stats);
            for (EdgeSpec edge : graph.incoming(node.id())) {
                if (consumersLeft.merge(edge.from(), -1, Integer::sum) == 0) {
                    emitted.remove(edge.from());
                }
            }
        }
        return finished;
    }

    /** The context of one node's execution: routes inputs in, collects outputs and counters. */
    private static final class RunContext implements StageContext {
        private final String nodeId;
        private final Stage stage;
        private final StageParams params;
        private final Path workspace;
        private final Path outputDir;
        private final String digest;
        private final Map<String, List<Object>> inputs;
        private final List<StageStats> finished;
        private final PipelineListener listener;
        private final BooleanSupplier cancelled;
        private final Map<String, Object> outputs = new LinkedHashMap<>();
        private final Map<String, Long> dropped = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private long in;
        private long out;

        RunContext(String nodeId, Stage stage, StageParams params, Path workspace, Path outputDir, String digest,
                   Map<String, List<Object>> inputs, List<StageStats> finished, PipelineListener listener,
                   BooleanSupplier cancelled) {
            this.nodeId = nodeId;
            this.stage = stage;
            this.params = params;
            this.workspace = workspace;
            this.outputDir = outputDir;
            this.digest = digest;
            this.inputs = inputs;
            this.finished = finished;
            this.listener = listener;
            this.cancelled = cancelled;
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public Path workspace() {
            return workspace;
        }

        @Override
        public Path outputDir() {
            return outputDir;
        }

        @Override
        public String digest() {
            return digest;
        }

        @Override
        public StageParams params() {
            return params;
        }

        @Override
        public List<Object> inputs(String port) {
            return inputs.getOrDefault(port, List.of());
        }

        @Override
        public void emit(String port, Object value) {
            Port declared = stage.outputs().stream().filter(p -> p.name().equals(port)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(stage.id() + " emitted to undeclared port '" + port + "'"));
            if (!declared.type().payload().isInstance(value)) {
                throw new IllegalStateException(stage.id() + " emitted " + value.getClass().getName() + " to port '"
                        + port + "' of type " + declared.type());
            }
            outputs.put(port, value);
        }

        Map<String, Object> checkedOutputs() {
            for (Port port : stage.outputs()) {
                if (!outputs.containsKey(port.name())) {
                    throw new PipelineException("node '" + nodeId + "' (" + stage.id() + ") emitted nothing on port '"
                            + port.name() + "'");
                }
            }
            return outputs;
        }

        @Override
        public List<StageStats> finishedStats() {
            return finished;
        }

        @Override
        public void countIn(long n) {
            in += n;
        }

        @Override
        public void countOut(long n) {
            out += n;
        }

        @Override
        public void drop(String reason, long n) {
            dropped.merge(reason, n, Long::sum);
        }

        @Override
        public void warn(String message) {
            if (warnings.size() < WARNINGS_KEPT) {
                warnings.add(message);
                listener.onStageWarning(nodeId, message);
            } else if (warnings.size() == WARNINGS_KEPT) {
                String more = "further warnings are only counted";
                warnings.add(more);
                listener.onStageWarning(nodeId, more);
            }
        }

        @Override
        public void progress(double fraction, String message) {
            listener.onStageProgress(nodeId, fraction, message);
        }

        @Override
        public boolean cancelled() {
            return cancelled.getAsBoolean();
        }

        StageStats stats(long millis) {
            return new StageStats(nodeId, stage.id(), in, out, dropped, warnings, millis);
        }
    }
}
