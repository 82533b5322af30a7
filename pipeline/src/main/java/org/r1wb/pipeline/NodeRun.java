package org.r1wb.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageContext;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The context of one node's execution: routes inputs in, collects outputs, counters and (for previews) drops. Used by
 * one thread at a time (the node's own thread when it streams).
 */
final class NodeRun implements StageContext {

    /** Warnings kept per node (and shown); the rest are only counted. */
    private static final int WARNINGS_KEPT = 20;
    /** Least time between two {@link PipelineListener#onStageCounts} reports of one node. */
    private static final long COUNTS_EVERY_NANOS = 200_000_000L;

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
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> dropReasons;
    private long in;
    private long out;
    private double lastFraction;
    private long countsReported;
    private long countCalls;

    /**
     * @param dropReasons where to record why each document was dropped (by id), or null to only count
     */
    NodeRun(String nodeId, Stage stage, StageParams params, Path workspace, Path outputDir, String digest,
            Map<String, List<Object>> inputs, List<StageStats> finished, PipelineListener listener,
            BooleanSupplier cancelled, Map<String, String> dropReasons) {
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
        this.dropReasons = dropReasons;
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

    /** The outputs, once every declared port got a value. */
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
        reportCounts();
    }

    @Override
    public void countOut(long n) {
        out += n;
        reportCounts();
    }

    private void reportCounts() {
        // Readers count line by line: look at the clock only every so many counts.
        if (++countCalls % 64 != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - countsReported >= COUNTS_EVERY_NANOS) {
            countsReported = now;
            listener.onStageCounts(nodeId, in, out);
        }
    }

    /** Records read so far. */
    long inCount() {
        return in;
    }

    /** The last fraction this node reported through {@link #progress}. */
    double lastFraction() {
        return lastFraction;
    }

    @Override
    public void drop(String reason, long n) {
        dropped.merge(reason, n, Long::sum);
    }

    @Override
    public void drop(Document document, String reason) {
        drop(reason, 1);
        if (dropReasons != null) {
            dropReasons.put(document.id(), reason);
        }
    }

    @Override
    public void count(String name, long n) {
        counts.merge(name, n, Long::sum);
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
        lastFraction = fraction;
        listener.onStageProgress(nodeId, fraction, message);
    }

    @Override
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    StageStats stats(long millis) {
        return new StageStats(nodeId, stage.id(), in, out, dropped, counts, warnings, millis);
    }
}
