package org.r1wb.model.eval;

/**
 * What an evaluation needs from a trained model, and nothing more: scores and greedy continuations.
 * Implementations own native memory and must be closed.
 */
public interface EvalModel extends AutoCloseable {

    /** Content digest (SHA-256, hex) of the checkpoint whose weights answer; part of every cache key. */
    String checkpointDigest();

    /** The longest window {@link #nll} accepts. */
    int maxSequenceLength();

    /**
     * Summed negative log-likelihood, in nats, of {@code window[1..]} each given its prefix; one value per
     * window. Windows may differ in length (each at least 2, at most {@link #maxSequenceLength()}).
     */
    double[] nll(int[][] windows);

    /**
     * Greedy continuation of {@code prompt}: at most {@code maxNewTokens} new ids, stopping after (and
     * excluding) any id in {@code stopIds}.
     */
    int[] greedy(int[] prompt, int maxNewTokens, int... stopIds);

    @Override
    void close();
}
