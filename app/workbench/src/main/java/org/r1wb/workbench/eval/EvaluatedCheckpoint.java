package org.r1wb.workbench.eval;

import java.nio.file.Path;

/**
 * A checkpoint of a workspace run, as the evaluation views name it.
 *
 * @param run    the run that wrote it
 * @param step   optimizer steps taken
 * @param folder its folder ({@code runs/<run>/checkpoints/step-N} or {@code final})
 * @param digest SHA-256 of its weights, the key the evaluation store files its results under
 */
public record EvaluatedCheckpoint(String run, int step, Path folder, String digest) {

    /** How tables and charts name it, as {@code r1wb eval} labels it: run id and step. */
    public String label() {
        return run + "@" + step;
    }
}
