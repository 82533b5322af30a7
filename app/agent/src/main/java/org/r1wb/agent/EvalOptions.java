package org.r1wb.agent;

import org.r1wb.model.eval.EvalSettings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options of an evaluation, shared by {@code r1wb eval} and {@code r1wb remote eval} (which passes them on). */
public final class EvalOptions {

    @Option(names = "--suite", defaultValue = "demo", description = "Suite or task in evals/ (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--limit", description = "Score only the first N documents of each task.")
    Integer limit;

    @Option(names = "--fewshot-seed", description = "Seed that draws few-shot examples (overrides the tasks').")
    Long fewshotSeed;

    @Option(names = "--temperature", description = "Sampling temperature (0 = greedy; overrides the tasks').")
    Double temperature;

    @Option(names = "--samples", description = "Outputs per document (pass@k needs k).")
    Integer samples;

    @Option(names = "--seed", description = "Sampling seed.")
    Long seed;

    @Option(names = "--max-tokens", description = "Cap on generated tokens.")
    Integer maxTokens;

    @Option(names = "--batch", defaultValue = "16", description = "Requests answered and stored together (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The suite or task to run. */
    String suite() {
        return suite;
    }

    /** The settings these options override. */
    EvalSettings settings() {
        return EvalSettings.defaults().withLimit(limit).withMaxTokens(maxTokens).withFewshotSeed(fewshotSeed)
                .withSampling(temperature, samples, seed).withBatchSize(batch);
    }

    /** These options as {@code r1wb eval} arguments, for an agent elsewhere. */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--suite", suite, "--batch", Integer.toString(batch)));
        add(args, "--limit", limit);
        add(args, "--fewshot-seed", fewshotSeed);
        add(args, "--temperature", temperature);
        add(args, "--samples", samples);
        add(args, "--seed", seed);
        add(args, "--max-tokens", maxTokens);
        return args;
    }

    private static void add(List<String> args, String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
    }
}
