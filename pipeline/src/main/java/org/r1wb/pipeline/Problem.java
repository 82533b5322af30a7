package org.r1wb.pipeline;

/**
 * One thing wrong with a pipeline.
 *
 * @param path    where, e.g. {@code nodes[3].params.vocabSize} or {@code edges[1].to}
 * @param message what is wrong
 * @param fix     what to do about it
 */
public record Problem(String path, String message, String fix) {

    /** The same problem located under {@code prefix} (e.g. {@code nodes[3]}). */
    public Problem under(String prefix) {
        return new Problem(path.isEmpty() ? prefix : prefix + "." + path, message, fix);
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "" : path + ": ") + message + " (fix: " + fix + ")";
    }
}
