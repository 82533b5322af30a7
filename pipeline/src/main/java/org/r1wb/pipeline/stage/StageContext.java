package org.r1wb.pipeline.stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.r1wb.pipeline.Document;

/** What the executor gives a running stage: inputs, parameters, where to write, and channels back. */
public interface StageContext {

    /** The node being run. */
    String nodeId();

    /** The workspace root; relative paths in parameters resolve against it. */
    Path workspace();

    /**
     * Where this node writes files: a temp folder that becomes the node's cache entry when it succeeds; the runner
     * then links its files into the run's output folder.
     */
    Path outputDir();

    /**
     * The content digest of this node's output: its cache key, over its stage, version, parameters, input files and
     * the digests of the nodes feeding it.
     */
    String digest();

    /** The node's parameters with defaults filled in. */
    StageParams params();

    /** The values that arrived on an input port, in edge order. */
    List<Object> inputs(String port);

    /** Sends a value out of an output port. */
    void emit(String port, Object value);

    /** Statistics of the nodes that already finished, in run order. */
    List<StageStats> finishedStats();

    /** Counts records read. */
    void countIn(long n);

    /** Counts records passed on. */
    void countOut(long n);

    /** Counts records dropped for {@code reason}. */
    void drop(String reason, long n);

    /** Drops one document for {@code reason}; a sample preview shows the reason next to it. */
    default void drop(Document document, String reason) {
        drop(reason, 1);
    }

    /** Counts an event that changed records without dropping them, e.g. an e-mail address replaced. */
    void count(String name, long n);

    /** Reports a problem that does not stop the run (shown to the user, kept in the statistics). */
    void warn(String message);

    /** Reports progress within this stage. */
    void progress(double fraction, String message);

    /** True once the user asked to stop. */
    boolean cancelled();

    /** Throws {@link CancellationException} if the user asked to stop; call it in long loops. */
    default void checkCancelled() {
        if (cancelled()) {
            throw new CancellationException("cancelled in " + nodeId());
        }
    }

    /** All documents that arrived on a documents-typed input port, concatenated in edge order. */
    default List<Document> documents(String port) {
        List<Document> all = new ArrayList<>();
        for (Object value : inputs(port)) {
            if (value instanceof DocumentBatch batch) {
                all.addAll(batch.documents());
            } else if (value instanceof TokenizedBatch batch) {
                all.addAll(batch.documents());
            } else {
                throw new IllegalStateException("port '" + port + "' of " + nodeId() + " got " + value.getClass().getName());
            }
        }
        return all;
    }
}
