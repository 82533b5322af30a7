package org.r1wb.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.CorpusWideDecision;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.DocumentSource;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.OutcomeRecorder;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The task of one shard: runs the {@link ShardPlan}'s nodes over the documents of one {@link ShardSlice} and writes,
 * per node, what it did to each document ({@link ShardRecords}) plus the task's statistics. Stateless stages decide
 * here; deduplicators only prepare (hash, signature) and pass every document on, since only the merge sees the whole
 * corpus. The output folder is written as a temp sibling and renamed into place, so it exists exactly when complete.
 */
final class ShardTask {

    /** The per-node statistics of a shard's task (readers' are the whole input's: every task reads it all). */
    static final String STATS_FILE = "stats.json";

    /** A document in a shard, with its place (see {@link ShardPlan}). */
    record Placed(ShardRecords.Key key, Document document) {
    }

    private final ShardPlan plan;
    private final ShardSlice slice;
    private final Path workspace;
    private final PipelineListener listener;
    private final BooleanSupplier cancelled;

    ShardTask(ShardPlan plan, ShardSlice slice, Path workspace, PipelineListener listener, BooleanSupplier cancelled) {
        this.plan = plan;
        this.slice = slice;
        this.workspace = workspace;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /** Runs the task into {@code shardDir} unless it is there already; returns whether it ran. */
    boolean run(Path shardDir) throws IOException {
        if (Files.isDirectory(shardDir)) {
            return false;
        }
        Files.createDirectories(shardDir.getParent());
        Path temp = Files.createTempDirectory(shardDir.getParent(), ".tmp-" + shardDir.getFileName() + "-");
        try {
            List<StageStats> stats = runInto(temp);
            AtomicFiles.write(temp.resolve(STATS_FILE), out -> Json.mapper().writeValue(out, stats));
            try {
                Files.move(temp, shardDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException raced) {
                if (!Files.isDirectory(shardDir)) {
                    throw raced;
                }
                return false; // another task of the same shard finished first: its output is as good
            }
            return true;
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    private List<StageStats> runInto(Path dir) throws IOException {
        Map<String, List<Placed>> outputs = new HashMap<>();
        Map<String, Integer> consumersLeft = plan.consumers();
        List<StageStats> stats = new ArrayList<>();
        List<ShardPlan.Node> nodes = plan.nodes();
        for (int position = 0; position < nodes.size(); position++) {
            ShardPlan.Node node = nodes.get(position);
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled before " + node.spec().id());
            }
            listener.onStageStart(node.spec().id(), node.stage().id(), position, nodes.size());
            NodeRun context = context(node, dir);
            long start = System.nanoTime();
            List<Placed> out;
            try (ShardRecords.Writer records = new ShardRecords.Writer(dir.resolve(node.recordsFile(position)))) {
                out = node.stage() instanceof DocumentSource source
                        ? read(source, context, records)
                        : process(node, context, inputsOf(node, outputs), records);
            } catch (CancellationException | PipelineException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new PipelineException("shard " + slice + ": node '" + node.spec().id() + "' ("
                        + node.stage().id() + ") failed: " + e, e);
            }
            ShardPlan.release(node, outputs, consumersLeft);
            if (consumersLeft.getOrDefault(node.spec().id(), 0) > 0) {
                outputs.put(node.spec().id(), out);
            }
            StageStats nodeStats = context.stats((System.nanoTime() - start) / 1_000_000);
            stats.add(nodeStats);
            listener.onStageFinish(nodeStats);
        }
        return stats;
    }

    private NodeRun context(ShardPlan.Node node, Path dir) throws IOException {
        Path files = Files.createDirectories(dir.resolve("files"));
        return new NodeRun(node.spec().id(), node.stage(), node.params(), workspace, files, node.digest(), Map.of(),
                List.of(), listener, cancelled, null);
    }

    private List<Placed> read(DocumentSource source, NodeRun context, ShardRecords.Writer records) throws IOException {
        List<Placed> out = new ArrayList<>();
        long[] number = {0};
        try {
            source.read(context, document -> {
                long k = number[0]++;
                if (slice.holds(k)) {
                    try {
                        records.write(new ShardRecords.Record(0, k, ShardRecords.Kind.CHANGED, document, null, null,
                                Map.of()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    out.add(new Placed(new ShardRecords.Key(0, k), document));
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    /** The node's input in this shard: its edges' outputs one after the other, segments renumbered. */
    static List<Placed> inputsOf(ShardPlan.Node node, Map<String, List<Placed>> outputs) {
        List<Placed> in = new ArrayList<>();
        for (ShardPlan.Input input : node.inputs()) {
            for (Placed p : outputs.get(input.from())) {
                in.add(new Placed(new ShardRecords.Key(p.key().segment() + input.segmentOffset(), p.key().number()),
                        p.document()));
            }
        }
        return in;
    }

    private List<Placed> process(ShardPlan.Node node, NodeRun context, List<Placed> in, ShardRecords.Writer records)
            throws IOException {
        @SuppressWarnings("unchecked")
        DocumentProcessor<Object> processor =
                (DocumentProcessor<Object>) ((PerDocumentStage) node.stage()).processor(node.params());
        @SuppressWarnings("unchecked")
        CorpusWideDecision<Object> corpusWide = node.decidedInMerge()
                ? (CorpusWideDecision<Object>) node.stage() : null;
        List<Placed> out = new ArrayList<>(in.size());
        for (int from = 0; from < in.size(); from += PerDocumentStage.CHUNK) {
            context.checkCancelled();
            int start = from;
            int to = Math.min(in.size(), from + PerDocumentStage.CHUNK);
            Object[] prepared = new Object[to - from];
            IntStream.range(from, to).parallel()
                    .forEach(i -> prepared[i - start] = processor.prepare(in.get(i).document()));
            for (int i = from; i < to; i++) {
                Placed p = in.get(i);
                ShardRecords.Key key = p.key();
                if (corpusWide != null) {
                    records.write(new ShardRecords.Record(key.segment(), key.number(), ShardRecords.Kind.PREPARED,
                            null, null, corpusWide.encode(prepared[i - from]), Map.of()));
                    OutcomeRecorder.record(context, p.document(), Outcome.keep(p.document()));
                    out.add(p);
                    continue;
                }
                Outcome outcome = processor.decide(p.document(), prepared[i - from]);
                records.write(recordOf(key, p.document(), outcome));
                Document passed = OutcomeRecorder.record(context, p.document(), outcome);
                if (passed != null) {
                    out.add(new Placed(key, passed));
                }
            }
        }
        return out;
    }

    private static ShardRecords.Record recordOf(ShardRecords.Key key, Document input, Outcome outcome) {
        if (!outcome.kept()) {
            return new ShardRecords.Record(key.segment(), key.number(), ShardRecords.Kind.DROPPED, null,
                    outcome.dropReason(), null, outcome.counts());
        }
        boolean same = outcome.document().equals(input);
        return new ShardRecords.Record(key.segment(), key.number(),
                same ? ShardRecords.Kind.SAME : ShardRecords.Kind.CHANGED, same ? null : outcome.document(), null,
                null, outcome.counts());
    }
}
