package org.r1wb.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.FileSystemException;
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
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.shards.ShardIndex;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.spec.PipelineValidator;
import org.r1wb.pipeline.stage.DocumentBatch;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;
import org.r1wb.pipeline.stage.TokenizedBatch;

/**
 * Runs a pipeline file: validates it, computes its {@link PipelineDigest}, and either returns the existing
 * {@code <workspace>/data/<run digest>/} (cached, no stage runs) or brings every node up to date through the node
 * cache ({@code data/.nodes/}, see {@link NodeCache}): a node whose digest has an entry is not run, so after a change
 * only the changed node and what is downstream of it run, and a run killed mid-way resumes from the last finished
 * node. Chains of readers and per-document stages stream through bounded queues on every core (see
 * {@link ExecutionOptions}); the output is the same as running each node over its whole input. The nodes' files are
 * linked into a temp sibling folder that is renamed into place only when every node succeeded. A folder is complete
 * exactly when it holds {@code index.json} (stamped with the run digest) and {@code stats.json}.
 */
public final class PipelineRunner {

    /** The workspace folder that holds run outputs. */
    public static final String DATA_DIR = "data";

    /** Per-node statistics of the run that produced a folder. */
    public static final String STATS_FILE = "stats.json";

    private final StageRegistry registry;
    private final ExecutionOptions options;

    /** A runner over the built-in stages, streaming on every core. */
    public PipelineRunner() {
        this(StageRegistry.builtIn());
    }

    /** A runner over {@code registry}, streaming on every core. */
    public PipelineRunner(StageRegistry registry) {
        this(registry, ExecutionOptions.defaults());
    }

    public PipelineRunner(StageRegistry registry, ExecutionOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /**
     * Runs {@code pipelineFile} (a relative path resolves against the workspace) in {@code workspace}.
     *
     * @throws InvalidPipelineException with every problem, when the file does not validate
     * @throws PipelineException        when a node fails (the message names it, and file:line for bad data)
     * @throws CancellationException    when {@code cancelled} turned true; the run folder is not written, finished
     *                                  nodes stay in the node cache
     */
    public PipelineResult run(Path workspace, Path pipelineFile, PipelineListener listener, BooleanSupplier cancelled)
            throws IOException {
        PipelineSpec spec = readValid(workspace, pipelineFile);
        PipelineDigest digest = PipelineDigest.compute(spec, registry, workspace);
        Path dataDir = workspace.resolve(DATA_DIR);
        Path outputDir = dataDir.resolve(digest.run());
        List<StageStats> previous = completedStats(outputDir, digest.run());
        if (previous != null) {
            return new PipelineResult(outputDir, digest.run(), true, previous);
        }
        Files.createDirectories(dataDir);
        Path temp = Files.createTempDirectory(dataDir, ".tmp-" + digest.run().substring(0, 12) + "-");
        try {
            GraphExecution execution = execution(spec, digest, workspace, listener, cancelled);
            List<StageStats> stats = execution.run(execution.allNodes(), temp);
            stampIndex(temp.resolve(ShardIndex.FILE), digest.run());
            AtomicFiles.write(temp.resolve(STATS_FILE), out -> Json.mapper().writeValue(out, stats));
            if (Files.exists(outputDir)) {
                // Present but not complete (damaged by hand): it is only a cache, so replace it.
                AtomicFiles.deleteTree(outputDir);
            }
            try {
                Files.move(temp, outputDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException raced) {
                List<StageStats> theirs = completedStats(outputDir, digest.run());
                if (theirs == null) {
                    throw raced;
                }
                return new PipelineResult(outputDir, digest.run(), true, theirs);
            }
            return new PipelineResult(outputDir, digest.run(), false, stats);
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    /**
     * Runs one shard's task of a sharded run: the readers and per-document stages ({@link ShardPlan}) over the
     * documents of {@code slice}, written to {@code data/.shards/<run digest>-of-<N>/shard-<i>/} (temp folder renamed
     * into place). A shard whose output is complete is not run again. Tasks of different shards share nothing and may
     * run at once, in any order, on different machines sharing the workspace.
     *
     * @throws InvalidPipelineException when the file does not validate
     * @throws PipelineException        when a node fails
     */
    public ShardResult runShard(Path workspace, Path pipelineFile, ShardSlice slice, PipelineListener listener,
                                BooleanSupplier cancelled) throws IOException {
        PipelineSpec spec = readValid(workspace, pipelineFile);
        PipelineDigest digest = PipelineDigest.compute(spec, registry, workspace);
        Path shardDir = ShardPlan.shardDir(workspace, digest.run(), slice);
        boolean ran = new ShardTask(ShardPlan.of(spec, registry, digest), slice, workspace,
                new SerializedListener(listener), cancelled).run(shardDir);
        return new ShardResult(shardDir, digest.run(), slice, !ran);
    }

    /**
     * Merges the {@code shards} shard outputs of a sharded run and runs the rest of the graph: deduplication decided
     * over the whole corpus in single-process order, then tokenizer training, mixing and shards as {@link #run} does.
     * The result is the folder {@link #run} writes for this pipeline, with the same files.
     *
     * @throws PipelineException when shard outputs are missing (the message names them and the command to run)
     */
    public PipelineResult runMerge(Path workspace, Path pipelineFile, int shards, PipelineListener listener,
                                   BooleanSupplier cancelled) throws IOException {
        if (shards < 1) {
            throw new IllegalArgumentException("a sharded run has at least 1 shard, not " + shards);
        }
        PipelineSpec spec = readValid(workspace, pipelineFile);
        PipelineDigest digest = PipelineDigest.compute(spec, registry, workspace);
        if (completedStats(workspace.resolve(DATA_DIR).resolve(digest.run()), digest.run()) == null) {
            NodeCache cache = new NodeCache(workspace.resolve(DATA_DIR).resolve(NodeCache.DIR));
            Path runDir = ShardPlan.runDir(workspace, digest.run(), shards);
            ShardMerge merge = new ShardMerge(ShardPlan.of(spec, registry, digest), shards, runDir, cache, workspace,
                    cancelled);
            List<Integer> missing = merge.missingShards();
            if (!missing.isEmpty()) {
                throw new PipelineException("cannot merge " + pipelineFile + ": " + missing.size() + " of " + shards
                        + " shard outputs missing in " + runDir + ": shard " + missing.stream()
                        .map(i -> i + "/" + shards).toList() + "; run each with `r1wb pipeline run " + pipelineFile
                        + " --shard " + missing.get(0) + "/" + shards + "` (inputs or pipeline changed since the shards "
                        + "ran give another digest)");
            }
            merge.commitMergedNodes();
        }
        return run(workspace, pipelineFile, listener, cancelled);
    }

    /**
     * Shows what node {@code nodeId} does to the first {@code limit} documents that reach it: brings its upstream
     * nodes up to date (through the node cache), runs the node once more recording why it dropped each document, and
     * pairs each input document with its output under the same id.
     *
     * @throws IllegalArgumentException when the pipeline has no such node
     */
    public StagePreview preview(Path workspace, Path pipelineFile, String nodeId, int limit,
                                PipelineListener listener, BooleanSupplier cancelled) throws IOException {
        PipelineSpec spec = readValid(workspace, pipelineFile);
        if (spec.nodes().stream().noneMatch(n -> n.id().equals(nodeId))) {
            throw new IllegalArgumentException("no node '" + nodeId + "' in " + pipelineFile);
        }
        PipelineDigest digest = PipelineDigest.compute(spec, registry, workspace);
        GraphExecution execution = execution(spec, digest, workspace, listener, cancelled);
        execution.run(execution.ancestors(nodeId), null);
        Map<String, String> reasons = new HashMap<>();
        GraphExecution.Executed executed = execution.execute(execution.nodeSpec(nodeId), reasons);
        List<Document> before = new ArrayList<>();
        executed.inputs().values().forEach(values -> values.forEach(v -> before.addAll(documentsOf(v))));
        Map<String, Document> after = new LinkedHashMap<>();
        executed.outputs().values().stream().findFirst()
                .ifPresent(v -> documentsOf(v).forEach(d -> after.putIfAbsent(d.id(), d)));
        List<StagePreview.Row> rows = new ArrayList<>();
        if (before.isEmpty()) {
            after.values().stream().limit(limit).forEach(d -> rows.add(new StagePreview.Row(null, d, null)));
        } else {
            for (Document d : before.subList(0, Math.min(limit, before.size()))) {
                Document out = after.get(d.id());
                rows.add(new StagePreview.Row(d, out, out != null ? null
                        : reasons.getOrDefault(d.id(), "dropped (the stage gave no reason)")));
            }
        }
        return new StagePreview(nodeId, rows, executed.entry().stats());
    }

    private static List<Document> documentsOf(Object value) {
        if (value instanceof DocumentBatch batch) {
            return batch.documents();
        }
        if (value instanceof TokenizedBatch batch) {
            return batch.documents();
        }
        return List.of();
    }

    private PipelineSpec readValid(Path workspace, Path pipelineFile) throws IOException {
        Path file = workspace.resolve(pipelineFile);
        PipelineSpec spec = PipelineSpec.read(file);
        List<Problem> problems = new PipelineValidator(registry).validate(spec, workspace);
        if (!problems.isEmpty()) {
            throw new InvalidPipelineException(file.toString(), problems);
        }
        return spec;
    }

    private GraphExecution execution(PipelineSpec spec, PipelineDigest digest, Path workspace,
                                     PipelineListener listener, BooleanSupplier cancelled) {
        NodeCache cache = new NodeCache(workspace.resolve(DATA_DIR).resolve(NodeCache.DIR));
        return new GraphExecution(registry, spec, digest, cache, workspace, listener, cancelled, options);
    }

    /**
     * Writes the run folder's {@code index.json} with the run digest: a shard node's index (linked from its cache
     * entry, where it carries the node digest) is replaced by a stamped copy; a pipeline without shards gets an
     * empty index.
     */
    private static void stampIndex(Path indexFile, String runDigest) throws IOException {
        ShardIndex index;
        if (Files.exists(indexFile)) {
            ShardIndex node = Json.mapper().readValue(indexFile.toFile(), ShardIndex.class);
            index = new ShardIndex(node.format(), node.dtype(), node.vocabSize(), node.eotId(), node.splits(),
                    runDigest, node.tokenizer(), node.stats());
        } else {
            index = new ShardIndex(ShardIndex.FORMAT, null, 0, -1, Map.of(), runDigest, null, null);
        }
        AtomicFiles.write(indexFile, out -> Json.mapper().writeValue(out, index));
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
}
