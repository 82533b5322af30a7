package org.r1wb.agent;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.StreamReport;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The progress display of {@code r1wb pipeline run}: a line as each stage starts, is served from the cache or
 * finishes, and in between a status of the running stages (a bar, the share done, an ETA, and documents in/out per
 * stage). On a terminal the status is one line redrawn in place with {@code \r}; otherwise (a log, a pipe) it is
 * printed as a line of its own every few seconds.
 */
final class PipelineProgress implements PipelineListener {

    /** How the status is shown. */
    enum Mode {
        /** Redrawn in place (a terminal). */
        BAR,
        /** A line every few seconds (logs and pipes). */
        LINES,
        /** Only the stage lines. */
        NONE
    }

    /** Time between two redraws of the in-place status. */
    static final Duration REDRAW = Duration.ofMillis(100);
    /** Time between two status lines when not on a terminal. */
    static final Duration LINE_EVERY = Duration.ofSeconds(5);

    private static final int BAR_WIDTH = 24;
    /** Status lines are cut to this width so that a redraw never wraps (which \r cannot undo). */
    private static final int MAX_STATUS = 150;

    private final PrintWriter out;
    private final Mode mode;
    private final LongSupplier nanoTime;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private long lastStatus = Long.MIN_VALUE / 2;
    private int statusLength;

    /** What is known of a running stage. */
    private static final class Running {
        final String stageId;
        final long started;
        long in;
        long out;
        double fraction = -1;

        Running(String stageId, long started) {
            this.stageId = stageId;
            this.started = started;
        }
    }

    PipelineProgress(PrintWriter out, Mode mode, LongSupplier nanoTime) {
        this.out = out;
        this.mode = mode;
        this.nanoTime = nanoTime;
    }

    /** The status mode for this process's console: a bar on a terminal, lines otherwise. */
    static Mode detect() {
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    @Override
    public void onStageStart(String nodeId, String stageId, int index, int total) {
        running.put(nodeId, new Running(stageId, nanoTime.getAsLong()));
        line(String.format("  [%d/%d] %s (%s) ...", index + 1, total, nodeId, stageId));
    }

    @Override
    public void onStageProgress(String nodeId, double fraction, String message) {
        Running stage = running.get(nodeId);
        if (stage != null) {
            stage.fraction = fraction;
        }
        maybeStatus();
    }

    @Override
    public void onStageCounts(String nodeId, long in, long out) {
        Running stage = running.get(nodeId);
        if (stage != null) {
            stage.in = in;
            stage.out = out;
        }
        maybeStatus();
    }

    @Override
    public void onStageWarning(String nodeId, String message) {
        line("    warning: " + message);
    }

    @Override
    public void onStageCached(StageStats stats, int index, int total) {
        line(String.format("  [%d/%d] %s (%s) from the cache", index + 1, total, stats.nodeId(), stats.stageId()));
    }

    @Override
    public void onStageFinish(StageStats stats) {
        running.remove(stats.nodeId());
        line(String.format("        %s done: %,d in, %,d out in %.2f s", stats.nodeId(), stats.in(), stats.out(),
                stats.millis() / 1000.0));
    }

    @Override
    public void onStreamFinished(StreamReport report) {
        line(String.format("        streamed %s on %d worker thread(s), at most %,d of %,d documents in flight",
                String.join(" -> ", report.nodes()), report.workerThreads(), report.peakInFlight(),
                report.maxInFlight()));
    }

    /** The status of the running stages: bar, share done, ETA, documents in/out per stage. */
    String status() {
        long now = nanoTime.getAsLong();
        double done = 1;
        long since = now;
        StringBuilder stages = new StringBuilder();
        for (Map.Entry<String, Running> e : running.entrySet()) {
            Running stage = e.getValue();
            // The slowest stage decides when the running group ends.
            done = Math.min(done, Math.max(0, stage.fraction));
            since = Math.min(since, stage.started);
            stages.append(stages.length() == 0 ? "" : " | ").append(e.getKey()).append(' ')
                    .append(compact(stage.in)).append('/').append(compact(stage.out));
        }
        int filled = (int) Math.round(done * BAR_WIDTH);
        String eta = done > 0 ? clock((long) ((now - since) * (1 - done) / done)) : "--:--";
        String status = String.format("  [%s%s] %3.0f%%  ETA %s  %s", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                done * 100, eta, stages);
        return status.length() > MAX_STATUS ? status.substring(0, MAX_STATUS - 3) + "..." : status;
    }

    private void maybeStatus() {
        long now = nanoTime.getAsLong();
        if (mode == Mode.NONE || running.isEmpty()
                || now - lastStatus < (mode == Mode.BAR ? REDRAW : LINE_EVERY).toNanos()) {
            return;
        }
        lastStatus = now;
        String status = status();
        if (mode == Mode.BAR) {
            out.print("\r" + status + " ".repeat(Math.max(0, statusLength - status.length())));
            statusLength = status.length();
        } else {
            out.println(status);
        }
        out.flush();
    }

    /** Prints a line of its own, first clearing an in-place status (redrawn by the next event). */
    private void line(String text) {
        if (statusLength > 0) {
            out.print("\r" + " ".repeat(statusLength) + "\r");
            statusLength = 0;
            lastStatus = Long.MIN_VALUE / 2;
        }
        out.println(text);
        out.flush();
    }

    /** A count short enough for six stages on one line: 12,345, 678k, 12.3M. */
    static String compact(long n) {
        if (n < 100_000) {
            return String.format("%,d", n);
        }
        return n < 10_000_000 ? (n / 1000) + "k" : String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }

    private static String clock(long nanos) {
        long seconds = Math.max(0, nanos / 1_000_000_000L);
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
