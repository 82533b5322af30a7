package org.r1wb.model.eval;

/**
 * What an evaluation needs from a trained model, and nothing more: scores and continuations.
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

    /**
     * A sampled continuation (temperature, nucleus {@code topP}, reproducible from {@code seed}); temperature 0
     * is greedy. Models that only decode greedily keep this default, which refuses sampling plainly.
     */
    default int[] sample(int[] prompt, int maxNewTokens, double temperature, double topP, long seed, int... stopIds) {
        if (temperature == 0) {
            return greedy(prompt, maxNewTokens, stopIds);
        }
        throw new UnsupportedOperationException("this model decodes greedily only; set generation.temperature: 0"
                + " (or --temperature 0)");
    }

    /** Numeric precision the weights run in; answers change with it, so it is part of every cache key. */
    default String precision() {
        return "float32";
    }

    @Override
    void close();
}
