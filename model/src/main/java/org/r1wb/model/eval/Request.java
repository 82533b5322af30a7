package org.r1wb.model.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One question to the model, fully resolved: the few-shot context is already in {@link #context}, the
 * sampling parameters and the checker's limits are explicit. Its {@link #keyText()} is what the
 * per-request cache hashes, so any change to what is asked changes the key.
 *
 * @param doc          index of the document it belongs to
 * @param index        choice index (multiple choice) or sample index (generation)
 * @param kind         what is asked
 * @param context      the prompt (with few-shot examples), or the whole document for rolling log-likelihood
 * @param continuation the scored continuation (log-likelihood kinds)
 * @param maxTokens    generation: most new tokens
 * @param until        generation: stop strings
 * @param temperature  generation: 0 decodes greedily
 * @param topP         generation: nucleus mass
 * @param seed         generation: sampling seed of this request
 * @param program      code tasks: the candidate's source template prefix, with {@code {{completion}}} in it
 * @param tests        code tasks: the checks that run after it
 * @param timeoutMs    code tasks: wall-clock limit of a run
 * @param memoryMb     code tasks: heap limit of a run
 */
public record Request(int doc, int index, Kind kind, String context, String continuation, int maxTokens,
                      List<String> until, double temperature, double topP, long seed, String program, String tests,
                      long timeoutMs, int memoryMb) {

    /** The kinds of request the model answers. */
    public enum Kind { LOGLIKELIHOOD, ROLLING, GENERATE }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A log-likelihood of {@code continuation} given {@code context}. */
    public static Request loglikelihood(int doc, int index, String context, String continuation) {
        return new Request(doc, index, Kind.LOGLIKELIHOOD, context, continuation, 0, List.of(), 0, 1, 0, null, null, 0, 0);
    }

    /** The log-likelihood of a whole document. */
    public static Request rolling(int doc, String text) {
        return new Request(doc, 0, Kind.ROLLING, text, "", 0, List.of(), 0, 1, 0, null, null, 0, 0);
    }

    /**
     * Canonical JSON of everything that changes the answer (not the document's position, so the same
     * question asked twice is answered once).
     */
    public String keyText() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kind", kind.name());
        key.put("context", context);
        key.put("continuation", continuation);
        if (kind == Kind.GENERATE) {
            key.put("maxTokens", maxTokens);
            key.put("until", until);
            key.put("temperature", temperature);
            key.put("topP", topP);
            key.put("seed", temperature == 0 ? 0 : seed);
            if (program != null) {
                key.put("program", program);
                key.put("tests", tests);
                key.put("timeoutMs", timeoutMs);
                key.put("memoryMb", memoryMb);
            }
        }
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request did not serialise", e);
        }
    }
}
