package org.r1wb.model.eval;

import java.io.IOException;

/**
 * A model to evaluate, known by what the cache keys need (its digest and precision) before its weights are
 * loaded: {@link EvalRunner} looks in the store first and calls {@link #load()} only when a request is missing,
 * because loading is the slow part of a rerun that the cache serves.
 */
public interface EvalModelSource {

    /** Content digest of the weights; must equal the loaded model's {@link EvalModel#checkpointDigest()}. */
    String checkpointDigest();

    /** Precision the weights will run in; must equal the loaded model's {@link EvalModel#precision()}. */
    default String precision() {
        return "float32";
    }

    /** Loads the model; the caller closes it. */
    EvalModel load() throws IOException;
}
