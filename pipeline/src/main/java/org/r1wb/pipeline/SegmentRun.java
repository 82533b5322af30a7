package org.r1wb.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.r1wb.pipeline.cache.DocumentFileReader;
import org.r1wb.pipeline.cache.DocumentFileWriter;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.DocumentSource;
import org.r1wb.pipeline.stage.OutcomeRecorder;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageStats;

/**
 * Streams one chain of nodes (a {@link StreamSegment}): a feeder thread reads the chain's input (the head reader,
 * or the cached output of the nodes feeding the head) into batches, one thread per per-document stage takes batches
 * from a bounded queue, prepares them on the shared {@link OrderedParallelMap}, decides in order, appends what it
 * keeps to its node's cache file and hands it on. An {@link InFlightGauge} holds the chain to
 * {@link ExecutionOptions#maxInFlight()} documents, so a fast reader waits for slow stages (back-pressure). Each node
 * still gets its own cache entry, committed only after the whole chain finished; a cancelled or failed chain stops
 * every thread and leaves only temp folders, deleted on the way out.
 */
final class SegmentRun {

    /** How long the calling thread waits between polls of the user's cancel flag. */
    private static final long POLL_MILLIS = 50;
    /** How long stopped threads get to end after a cancel or failure. */
    private static final long STOP_MILLIS = 5_000;

    /** Each node's committed cache entry in chain order, and how the stream went. */
    record Result(List<NodeCache.Entry> entries, StreamReport report) {
    }

    /** Documents in order, and how far the chain's input had got when the batch was cut. */
    private record Batch(List<Document> documents, double fraction) {
    }

    private static final Batch END = new Batch(List.of(), 1.0);

    private final StreamSegment segment;
    private final NodeCache cache;
    private final Path workspace;
    private final List<StageStats> finished;
    private final PipelineListener listener;
    private final BooleanSupplier cancelled;
    private final ExecutionOptions options;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final InFlightGauge gauge;
    private final long start = System.nanoTime();
    private final long[] endNanos;

    SegmentRun(StreamSegment segment, NodeCache cache, Path workspace, List<StageStats> finished,
               PipelineListener listener, BooleanSupplier cancelled, ExecutionOptions options) {
        this.segment = segment;
        this.cache = cache;
        this.workspace = workspace;
        this.finished = finished;
        this.listener = listener;
        this.cancelled = cancelled;
        this.options = options;
        this.gauge = new InFlightGauge(options.maxInFlight());
        this.endNanos = new long[segment.nodes().size()];
    }

    /**
     * Runs the chain to the end and commits each node's cache entry, in chain order.
     *
     * @throws CancellationException when {@code cancelled} turned true (polled from this thread only)
     * @throws PipelineException     when a node failed; the message names it
     */
    Result run() throws IOException {
        List<StreamSegment.Node> nodes = segment.nodes();
        List<Path> temps = new ArrayList<>();
        try {
            List<NodeRun> contexts = new ArrayList<>();
            for (StreamSegment.Node node : nodes) {
                Path temp = cache.newTemp(node.digest());
                temps.add(temp);
                contexts.add(new NodeRun(node.spec().id(), node.stage(),
                        new StageParams(node.stage().params(), node.spec().params()), workspace, NodeCache.filesOf(temp),
                        node.digest(), Map.of(), finished, listener, stopping::get, null));
            }
            StreamReport report = stream(contexts, temps);
            List<NodeCache.Entry> entries = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                StageStats stats = contexts.get(i).stats((endNanos[i] - start) / 1_000_000);
                entries.add(cache.commitWritten(temps.get(i), nodes.get(i).digest(), nodes.get(i).stage().outputs(),
                        stats));
            }
            return new Result(entries, report);
        } finally {
            for (Path temp : temps) {
                AtomicFiles.deleteTree(temp);
            }
        }
    }

    private StreamReport stream(List<NodeRun> contexts, List<Path> temps) throws IOException {
        List<StreamSegment.Node> nodes = segment.nodes();
        boolean sourceHead = nodes.get(0).stage() instanceof DocumentSource;
        int firstStep = sourceHead ? 1 : 0;
        int queueCapacity = Math.max(1, (options.maxInFlight() + options.batchSize() - 1) / options.batchSize());
        List<BlockingQueue<Batch>> queues = new ArrayList<>();
        for (int i = firstStep; i < nodes.size(); i++) {
            queues.add(new ArrayBlockingQueue<>(queueCapacity));
        }
        String name = "r1wb-stream-" + nodes.get(0).spec().id();
        AtomicInteger started = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(1 + queues.size(), task -> {
            Thread t = new Thread(task, name + "-stage-" + started.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        OrderedParallelMap workers = new OrderedParallelMap(options.workers(), name);
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(threads);
            Feeder feeder = new Feeder(queues.isEmpty() ? null : queues.get(0));
            if (sourceHead) {
                done.submit(guarded(0, () -> readSource((DocumentSource) nodes.get(0).stage(), contexts.get(0),
                        temps.get(0), feeder)));
            } else {
                done.submit(guarded(0, () -> readUpstream(feeder)));
            }
            for (int i = firstStep; i < nodes.size(); i++) {
                int node = i;
                BlockingQueue<Batch> in = queues.get(i - firstStep);
                BlockingQueue<Batch> out = i + 1 < nodes.size() ? queues.get(i + 1 - firstStep) : null;
                done.submit(guarded(node, () -> step(node, contexts.get(node), temps.get(node), workers, in, out)));
            }
            awaitAll(done, 1 + queues.size());
            return new StreamReport(nodes.stream().map(n -> n.spec().id()).toList(), gauge.bound(), gauge.peak(),
                    workers.threadsUsed());
        } finally {
            stopping.set(true);
            threads.shutdownNow();
            workers.close();
            awaitEnd(threads, workers);
        }
    }

    /** Waits for stopped threads to end, so none writes into a temp folder about to be deleted. */
    private static void awaitEnd(ExecutorService threads, OrderedParallelMap workers) {
        // An interrupted caller still waits; its flag is restored afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            threads.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS);
            workers.awaitTermination(STOP_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for every thread, polling the user's cancel flag; the first failure stops the rest. */
    private void awaitAll(CompletionService<Void> done, int tasks) throws IOException {
        for (int left = tasks; left > 0; ) {
            Future<Void> next;
            try {
                next = done.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted in " + segment.ids());
            }
            if (next == null) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled in " + segment.ids());
                }
                continue;
            }
            left--;
            try {
                next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted in " + segment.ids());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new PipelineException(e.getCause().toString(), e.getCause());
            }
        }
    }

    private void readSource(DocumentSource source, NodeRun context, Path temp, Feeder feeder)
            throws IOException, InterruptedException {
        try (DocumentFileWriter writer = cache.documentWriter(temp, Port.MAIN)) {
            source.read(context, document -> {
                try {
                    writer.write(document);
                    feeder.add(document, context.lastFraction());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("stopped");
                }
            });
        }
        endNanos[0] = System.nanoTime();
        feeder.finish();
    }

    private void readUpstream(Feeder feeder) throws IOException, InterruptedException {
        long total = 0;
        for (StreamSegment.Upstream upstream : segment.upstream()) {
            try (DocumentFileReader reader = upstream.entry().openDocuments(upstream.port())) {
                total += reader.count();
            }
        }
        long read = 0;
        for (StreamSegment.Upstream upstream : segment.upstream()) {
            try (DocumentFileReader reader = upstream.entry().openDocuments(upstream.port())) {
                for (Document d = reader.next(); d != null; d = reader.next()) {
                    read++;
                    feeder.add(d, (double) read / Math.max(1, total));
                }
            }
        }
        feeder.finish();
    }

    private void step(int node, NodeRun context, Path temp, OrderedParallelMap workers, BlockingQueue<Batch> in,
                      BlockingQueue<Batch> out) throws IOException, InterruptedException, ExecutionException {
        Stage stage = segment.nodes().get(node).stage();
        DocumentProcessor<?> processor = ((PerDocumentStage) stage).processor(context.params());
        try (DocumentFileWriter writer = cache.documentWriter(temp, Port.MAIN)) {
            for (Batch batch = in.take(); batch != END; batch = in.take()) {
                context.checkCancelled();
                List<Document> kept = process(processor, batch.documents(), context, writer, workers);
                context.progress(batch.fraction(), context.inCount() + " documents");
                if (out == null || kept.isEmpty()) {
                    gauge.leave(kept.size());
                } else {
                    out.put(new Batch(kept, batch.fraction()));
                }
            }
        }
        endNanos[node] = System.nanoTime();
        if (out != null) {
            out.put(END);
        }
    }

    /** Prepares {@code documents} on every worker, then decides in order; returns what was kept (and written). */
    private <W> List<Document> process(DocumentProcessor<W> processor, List<Document> documents, NodeRun context,
                                       DocumentFileWriter writer, OrderedParallelMap workers)
            throws IOException, InterruptedException, ExecutionException {
        List<W> prepared = workers.map(documents, processor::prepare);
        List<Document> kept = new ArrayList<>(documents.size());
        int dropped = 0;
        for (int i = 0; i < documents.size(); i++) {
            Document input = documents.get(i);
            Document passed = OutcomeRecorder.record(context, input, processor.decide(input, prepared.get(i)));
            if (passed == null) {
                dropped++;
            } else {
                writer.write(passed);
                kept.add(passed);
            }
        }
        gauge.leave(dropped);
        return kept;
    }

    /** What a chain thread does; may block and be interrupted. */
    @FunctionalInterface
    private interface Body {
        void run() throws IOException, InterruptedException, ExecutionException;
    }

    /** {@code body} with its failures named after the node, as a whole-input run names them. */
    private Callable<Void> guarded(int node, Body body) {
        NodeSpec spec = segment.nodes().get(node).spec();
        return () -> {
            try {
                body.run();
                return null;
            } catch (CancellationException e) {
                throw e;
            } catch (InterruptedException e) {
                throw new CancellationException("stopped in " + spec.id());
            } catch (ExecutionException e) {
                throw failure(spec, e.getCause());
            } catch (UncheckedIOException e) {
                throw failure(spec, e.getCause());
            } catch (IOException | RuntimeException e) {
                throw failure(spec, e);
            }
        };
    }

    private static RuntimeException failure(NodeSpec node, Throwable e) {
        if (e instanceof CancellationException cancel) {
            return cancel;
        }
        String reason = e instanceof PipelineException ? e.getMessage() : e.toString();
        return new PipelineException("node '" + node.id() + "' (" + node.stage() + ") failed: " + reason, e);
    }

    /** Cuts the chain's input into batches, each document admitted by the gauge first. */
    private final class Feeder {

        private final BlockingQueue<Batch> out;
        private List<Document> current = new ArrayList<>();

        /** @param out the first stage's queue, or null when the chain is a lone reader */
        Feeder(BlockingQueue<Batch> out) {
            this.out = out;
        }

        void add(Document document, double fraction) throws InterruptedException {
            if (!gauge.tryEnter()) {
                flush(fraction);
                gauge.enter();
            }
            current.add(document);
            if (current.size() >= options.batchSize()) {
                flush(fraction);
            }
        }

        void finish() throws InterruptedException {
            flush(1.0);
            if (out != null) {
                out.put(END);
            }
        }

        private void flush(double fraction) throws InterruptedException {
            if (current.isEmpty()) {
                return;
            }
            if (out == null) {
                gauge.leave(current.size());
            } else {
                out.put(new Batch(current, fraction));
            }
            current = new ArrayList<>();
        }
    }
}
