package org.r1wb.model.eval.task;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A task as its YAML file declares it, in the spirit of lm-evaluation-harness. {@link TaskLoader} reads
 * and validates it; every field has a default except {@code task}, {@code data}, {@code output_type},
 * {@code prompt} and {@code metrics}.
 *
 * @param name            {@code task}: short stable name, e.g. {@code arithmetic-em}
 * @param version         {@code version}: bump when the task's meaning changes
 * @param description     {@code description}: one line for tables
 * @param data            {@code data}: where the documents come from
 * @param outputType      {@code output_type}: what is asked of the model
 * @param prompt          {@code prompt}: the question, with {@code {{field}}} placeholders
 * @param target          {@code target}: the reference answer (generate), or the scored continuation (loglikelihood)
 * @param choices         {@code choices}: multiple choice: the field holding the list of choices
 * @param gold            {@code gold}: multiple choice: the field holding the right choice's index
 * @param targetDelimiter {@code target_delimiter}: put between prompt and target or choice (default one space)
 * @param fewshot         {@code fewshot}: solved examples drawn from the other documents before the question
 * @param generation      {@code generation}: stop strings, token limit and sampling for {@code generate_until}
 * @param extract         {@code extract}: how the answer is taken from a generated text
 * @param normalize       {@code normalize}: applied to answer and target before comparing
 * @param metrics         {@code metrics}: what to report, each with its parameters
 * @param check           {@code check}: code tasks: how candidate programs are run and judged
 */
public record TaskSpec(String name, int version, String description, DataSpec data, OutputType outputType,
                       PromptTemplate prompt, PromptTemplate target, String choices, String gold,
                       String targetDelimiter, FewShot fewshot, Generation generation, Extraction extract,
                       List<Normalization> normalize, List<MetricSpec> metrics, CodeCheck check) {

    /**
     * Where documents come from: a JSONL file next to the YAML, or a registered {@link DocGenerator}.
     *
     * @param file      JSONL path, relative to the YAML file's folder
     * @param generator name of a {@link DocGenerator}
     * @param params    the generator's parameters
     * @param limit     use only the first {@code limit} documents ({@code null}: all)
     */
    public record DataSpec(String file, String generator, JsonNode params, Integer limit) {
    }

    /**
     * Few-shot examples: {@code count} other documents, drawn with {@code seed}, each rendered as prompt,
     * delimiter and target, joined by {@code separator} before the question.
     */
    public record FewShot(int count, long seed, String separator) {

        public static FewShot none() {
            return new FewShot(0, 1234, "\n\n");
        }
    }

    /**
     * Decoding for {@code generate_until}.
     *
     * @param until       stop strings: the output is cut before the first
     * @param maxTokens   most new tokens
     * @param temperature 0 decodes greedily
     * @param topP        nucleus mass (1 keeps every token)
     * @param samples     outputs per document (pass@k needs at least k)
     * @param seed        sampling seed; output {@code i} of document {@code d} uses a seed derived from it, d and i
     */
    public record Generation(List<String> until, int maxTokens, double temperature, double topP, int samples, long seed) {

        public static Generation greedy(List<String> until, int maxTokens) {
            return new Generation(until, maxTokens, 0, 1, 1, 0);
        }
    }

    /** One entry of {@code metrics}: a registered metric's name and its parameters. */
    public record MetricSpec(String name, Map<String, Object> params) {
    }

    /**
     * How a code task judges a candidate: the program is {@code program} rendered with the document's fields
     * and {@code {{completion}}}; {@code tests} names the field with the checks that run after it.
     *
     * @param language  {@code java} (the only one so far: the JDK is always there)
     * @param program   template of the candidate's source
     * @param tests     field holding Java statements that call {@code check(boolean)}
     * @param timeoutMs wall-clock limit of one run, compile included
     * @param memoryMb  heap limit of one run
     */
    public record CodeCheck(String language, PromptTemplate program, String tests, long timeoutMs, int memoryMb) {
    }
}
