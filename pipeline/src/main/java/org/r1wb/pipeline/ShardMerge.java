package org.r1wb.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.r1wb.pipeline.cache.DocumentFileWriter;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.CorpusWideDecision;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.OutcomeRecorder;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The merge of a sharded run: puts every shard's documents back into single-process order node by node, replays the
 * shards' verdicts on the documents that still reach each node, decides the deduplicators
 * ({@link CorpusWideDecision}) over the whole corpus in that order, and commits each sharded node's output and
 * statistics to the node cache under the node's usual digest. A normal run then finds those nodes cached and runs the
 * rest of the graph, so the run folder is the one a single-process run writes.
 */
final class ShardMerge {

    private final ShardPlan plan;
    private final int count;
    private final Path runDir;
    private final NodeCache cache;
    private final Path workspace;
    private final BooleanSupplier cancelled;

    ShardMerge(ShardPlan plan, int count, Path runDir, NodeCache cache, Path workspace, BooleanSupplier cancelled) {
        this.plan = plan;
        this.count = count;
        this.runDir = runDir;
        this.cache = cache;
        this.workspace = workspace;
        this.cancelled = cancelled;
    }

    /** The indexes of the shards whose output is not (completely) there. */
    List<Integer> missingShards() {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!Files.isDirectory(shardDir(i))) {
                missing.add(i);
            }
        }
        return missing;
    }

    /** Commits every sharded node's merged output to the node cache (the shards must all be there). */
    void commitMergedNodes() throws IOException {
        if (plan.nodes().stream().allMatch(n -> cache.find(n.digest()).isPresent())) {
            return;
        }
        Map<String, StageStats> readerStats = new HashMap<>();
        for (StageStats s : Json.mapper().readValue(shardDir(0).resolve(ShardTask.STATS_FILE).toFile(),
                new TypeReference<List<StageStats>>() { })) {
            readerStats.put(s.nodeId(), s);
        }
        Map<String, List<ShardTask.Placed>> outputs = new HashMap<>();
        Map<String, Integer> consumersLeft = plan.consumers();
        List<ShardPlan.Node> nodes = plan.nodes();
        for (int position = 0; position < nodes.size(); position++) {
            ShardPlan.Node node = nodes.get(position);
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled before merging " + node.spec().id());
            }
            long start = System.nanoTime();
            List<ShardRecords.Record> records = recordsOf(node, position);
            List<ShardTask.Placed> out;
            StageStats stats;
            if (node.inputs().isEmpty()) {
                records.sort(Comparator.comparing(ShardRecords.Record::key));
                out = new ArrayList<>(records.size());
                records.forEach(r -> out.add(new ShardTask.Placed(r.key(), r.document())));
                stats = readerStats.get(node.spec().id());
            } else {
                // Quiet: the run that follows reports these nodes as cached, with these statistics.
                NodeRun context = new NodeRun(node.spec().id(), node.stage(), node.params(), workspace, runDir,
                        node.digest(), Map.of(), List.of(), PipelineListener.NONE, cancelled, null);
                out = replay(node, context, ShardTask.inputsOf(node, outputs), records);
                stats = context.stats((System.nanoTime() - start) / 1_000_000);
            }
            ShardPlan.release(node, outputs, consumersLeft);
            if (consumersLeft.getOrDefault(node.spec().id(), 0) > 0) {
                outputs.put(node.spec().id(), out);
            }
            commit(node, out, stats);
        }
    }

    private List<ShardRecords.Record> recordsOf(ShardPlan.Node node, int position) throws IOException {
        List<ShardRecords.Record> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.addAll(ShardRecords.readAll(shardDir(i).resolve(node.recordsFile(position))));
        }
        return all;
    }

    /** Runs the node's verdicts over its whole input in single-process order. */
    private List<ShardTask.Placed> replay(ShardPlan.Node node, NodeRun context, List<ShardTask.Placed> in,
                                          List<ShardRecords.Record> records) {
        Map<ShardRecords.Key, ShardRecords.Record> byKey = new HashMap<>(records.size() * 2);
        records.forEach(r -> byKey.put(r.key(), r));
        @SuppressWarnings("unchecked")
        DocumentProcessor<Object> processor = node.decidedInMerge()
                ? (DocumentProcessor<Object>) ((PerDocumentStage) node.stage()).processor(node.params()) : null;
        @SuppressWarnings("unchecked")
        CorpusWideDecision<Object> corpusWide = node.decidedInMerge() ? (CorpusWideDecision<Object>) node.stage() : null;
        List<ShardTask.Placed> out = new ArrayList<>();
        for (ShardTask.Placed p : in) {
            ShardRecords.Record r = byKey.get(p.key());
            if (r == null) {
                throw new PipelineException("node '" + node.spec().id() + "': no shard has a record of document "
                        + p.document().id() + "; the shard outputs in " + runDir + " do not belong together: delete "
                        + "that folder and rerun every shard");
            }
            Outcome outcome = switch (r.kind()) {
                case SAME -> Outcome.keep(p.document(), r.counts());
                case CHANGED -> Outcome.keep(r.document(), r.counts());
                case DROPPED -> Outcome.drop(r.dropReason());
                case PREPARED -> processor.decide(p.document(), corpusWide.decode(r.prepared()));
            };
            Document passed = OutcomeRecorder.record(context, p.document(), outcome);
            if (passed != null) {
                out.add(new ShardTask.Placed(p.key(), passed));
            }
        }
        return out;
    }

    private void commit(ShardPlan.Node node, List<ShardTask.Placed> out, StageStats stats) throws IOException {
        if (cache.find(node.digest()).isPresent()) {
            return;
        }
        Path temp = cache.newTemp(node.digest());
        try {
            try (DocumentFileWriter writer = cache.documentWriter(temp, node.stage().outputs().get(0).name())) {
                for (ShardTask.Placed p : out) {
                    writer.write(p.document());
                }
            }
            cache.commitWritten(temp, node.digest(), node.stage().outputs(), stats);
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    private Path shardDir(int index) {
        return runDir.resolve("shard-" + index);
    }
}
