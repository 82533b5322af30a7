package org.r1wb.model.eval;

/**
 * Overrides of what task files say, from the command line or a job; {@code null} keeps the task's value.
 * Each one that changes an answer ends up in the cache keys (through the resolved {@link TaskSettings}).
 *
 * @param limit       score only the first {@code limit} documents of each task
 * @param maxTokens   cap on generated tokens
 * @param fewshotSeed seed that draws few-shot examples
 * @param temperature sampling temperature (0 = greedy)
 * @param samples     outputs per document
 * @param seed        sampling seed
 * @param batchSize   requests answered (and stored) together; changes speed, not answers
 */
public record EvalSettings(Integer limit, Integer maxTokens, Long fewshotSeed, Double temperature, Integer samples,
                           Long seed, int batchSize) {

    /** Requests answered per batch unless told otherwise. */
    public static final int DEFAULT_BATCH = 16;

    public EvalSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
    }

    /** The tasks as written. */
    public static EvalSettings defaults() {
        return new EvalSettings(null, null, null, null, null, null, DEFAULT_BATCH);
    }

    public EvalSettings withLimit(Integer value) {
        return new EvalSettings(value, maxTokens, fewshotSeed, temperature, samples, seed, batchSize);
    }

    public EvalSettings withMaxTokens(Integer value) {
        return new EvalSettings(limit, value, fewshotSeed, temperature, samples, seed, batchSize);
    }

    public EvalSettings withFewshotSeed(Long value) {
        return new EvalSettings(limit, maxTokens, value, temperature, samples, seed, batchSize);
    }

    public EvalSettings withSampling(Double newTemperature, Integer newSamples, Long newSeed) {
        return new EvalSettings(limit, maxTokens, fewshotSeed, newTemperature, newSamples, newSeed, batchSize);
    }

    public EvalSettings withBatchSize(int value) {
        return new EvalSettings(limit, maxTokens, fewshotSeed, temperature, samples, seed, value);
    }
}
