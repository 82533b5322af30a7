package org.r1wb.model.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings one task runs with, after {@link EvalSettings} overrode its YAML: what the cache keys
 * carry besides the checkpoint, the task digest and the request.
 */
public record TaskSettings(int limit, int fewshotCount, long fewshotSeed, int maxTokens, double temperature,
                           double topP, int samples, long seed, String tokenizer, String precision) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code task}'s settings under {@code overrides}, for a model of {@code precision} and a tokenizer of {@code tokenizer}. */
    public static TaskSettings resolve(EvalTask task, EvalSettings overrides, String tokenizer, String precision) {
        TaskSpec spec = task.spec();
        int docs = task.docs().size();
        int limit = overrides.limit() == null ? docs : Math.min(docs, overrides.limit());
        TaskSpec.Generation g = spec.generation();
        int maxTokens = overrides.maxTokens() == null ? g.maxTokens() : Math.min(g.maxTokens(), overrides.maxTokens());
        return new TaskSettings(limit, spec.fewshot().count(),
                overrides.fewshotSeed() == null ? spec.fewshot().seed() : overrides.fewshotSeed(), maxTokens,
                overrides.temperature() == null ? g.temperature() : overrides.temperature(), g.topP(),
                overrides.samples() == null ? g.samples() : overrides.samples(),
                overrides.seed() == null ? g.seed() : overrides.seed(), tokenizer, precision);
    }

    /** Settings that change individual answers beyond the request text: tokenizer, precision, few-shot seed. */
    public String requestKeyText() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("tokenizer", tokenizer);
        key.put("precision", precision);
        if (fewshotCount > 0) {
            key.put("fewshotSeed", fewshotSeed);
        }
        return json(key);
    }

    /** Every setting, for the result key: the above plus what changes the aggregate (limit, sampling). */
    public String resultKeyText() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("limit", limit);
        key.put("fewshotCount", fewshotCount);
        key.put("fewshotSeed", fewshotSeed);
        key.put("maxTokens", maxTokens);
        key.put("temperature", temperature);
        key.put("topP", topP);
        key.put("samples", samples);
        key.put("seed", seed);
        key.put("tokenizer", tokenizer);
        key.put("precision", precision);
        return json(key);
    }

    private static String json(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings did not serialise", e);
        }
    }
}
