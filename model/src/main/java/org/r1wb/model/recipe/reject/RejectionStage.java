package org.r1wb.model.recipe.reject;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.generate.Generation;
import org.r1wb.model.generate.GenerationConfig;
import org.r1wb.model.generate.Generator;
import org.r1wb.model.recipe.StageRuns;
import org.r1wb.model.recipe.grpo.GrpoPrompt;
import org.r1wb.model.recipe.grpo.GrpoStage;
import org.r1wb.model.recipe.grpo.WeightedRewards;
import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.TrainResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Rejection sampling as a run (R1, §2.3.3): from a checkpoint, sample {@code samples} completions of each prompt
 * with the KV-cached generator, keep those the {@link Acceptance} rule accepts, drop duplicates
 * ({@link SeenResponses}) and write the rest as an SFT set ({@code {"prompt", "response", "target"}} a line) that
 * a following sft stage reads.
 *
 * <p>Each completion's sampling seed is a function of (seed, prompt, sample), and each prompt's result is appended
 * to {@link RejectionProgress} as it is done, so a cancelled or killed run resumes at the first prompt not done and
 * writes the same set as an uninterrupted one. The set itself is written once, at the end, atomically.
 */
public final class RejectionStage {

    /**
     * What the stage samples.
     *
     * @param runId        names the run in messages
     * @param model        the spec of the checkpoint's weights
     * @param seed         fixes every completion's sampling
     * @param samples      completions per prompt
     * @param temperature  sampling temperature (0: greedy, then one sample per prompt is enough)
     * @param topP         nucleus sampling mass (1: every token)
     * @param maxNewTokens longest completion
     * @param init         the checkpoint folder sampled from
     * @param out          the SFT set written at the end
     */
    public record Config(String runId, ModelSpec model, long seed, int samples, double temperature, double topP,
                         int maxNewTokens, Path init, Path out) {
    }

    private static final String PROGRESS = "progress.jsonl";
    private static final List<String> ROLE_MARKERS = List.of(ChatTemplate.USER, ChatTemplate.ASSISTANT,
            ChatTemplate.END);

    private final Config config;
    private final List<GrpoPrompt> prompts;
    private final GrpoStage.Codec codec;
    private final WeightedRewards rewards;
    private final Acceptance acceptance;

    /** A stage over {@code prompts}, keeping what {@code acceptance} accepts of the {@code rewards}' scores. */
    public RejectionStage(Config config, List<GrpoPrompt> prompts, GrpoStage.Codec codec, WeightedRewards rewards,
                          Acceptance acceptance) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to sample from");
        }
        this.config = config;
        this.prompts = List.copyOf(prompts);
        this.codec = codec;
        this.rewards = rewards;
        this.acceptance = acceptance;
    }

    /**
     * Samples every prompt not yet done in {@code runDir}, then writes the set; stops early, with what is done kept,
     * when {@code cancelled}.
     */
    public RejectionResult run(Path runDir, EventSink events, BooleanSupplier cancelled) throws IOException {
        CheckpointMeta meta = StageRuns.init(config.init(), config.model(), config.runId(), "rejection sampling samples from");
        RejectionProgress progress = RejectionProgress.open(runDir.resolve(PROGRESS), settingsDigest(meta));
        List<PromptResult> done = progress.results();
        SeenResponses seen = new SeenResponses();
        for (PromptResult result : done) {
            result.kept().forEach(response -> seen.add(prompts.get(result.index()).prompt(), response));
        }
        Totals totals = new Totals();
        done.forEach(totals::add);
        if (done.size() < prompts.size()) {
            StageRuns.status(events, "running", (done.isEmpty() ? "sampling " : "resuming ") + config.runId()
                    + " (rejection-sample): " + config.samples() + " completions of each of " + prompts.size()
                    + " prompts from " + config.init() + (done.isEmpty() ? "" : ", from prompt " + (done.size() + 1)));
            try (NDManager manager = NDManager.newBaseManager()) {
                Generator generator = new Generator(Checkpoints.loadModel(config.init(), meta, manager), manager);
                for (int index = done.size(); index < prompts.size(); index++) {
                    if (cancelled.getAsBoolean()) {
                        String message = "cancelled after prompt " + index + " of " + prompts.size()
                                + ": run again to go on";
                        StageRuns.status(events, "cancelled", message);
                        return totals.result(TrainResult.Outcome.CANCELLED, message, null);
                    }
                    long start = System.nanoTime();
                    PromptResult result = sample(generator, index, seen);
                    progress.append(result);
                    totals.add(result);
                    events.emit("metric", metric(result, totals, (System.nanoTime() - start) / 1e9));
                }
            }
        }
        int kept = write(progress.results());
        String message = String.format("kept %d of %d completions of %d prompts (acceptance %.1f%%, %d duplicates "
                        + "dropped), wrote %s", kept, totals.samples, prompts.size(), 100.0 * totals.accepted
                        / Math.max(1, totals.samples), totals.accepted - kept, config.out());
        StageRuns.status(events, "finished", message);
        return totals.result(TrainResult.Outcome.FINISHED, message, config.out());
    }

    /** Samples one prompt's completions and judges them. */
    private PromptResult sample(Generator generator, int index, SeenResponses seen) {
        GrpoPrompt prompt = prompts.get(index);
        int[] ids = codec.prompt(prompt.prompt());
        int end = codec.endOfTurn();
        long base = new SplittableRandom(config.seed() * 1_000_003L + index).nextLong();
        int accepted = 0;
        int duplicates = 0;
        List<String> kept = new ArrayList<>();
        long[] seeds = new long[config.samples()];
        for (int j = 0; j < seeds.length; j++) {
            seeds[j] = base + j;
        }
        Generation[] generations = generator.generateGroup(ids, seeds, new GenerationConfig(config.maxNewTokens(),
                config.temperature(), config.topP(), 0, codec.stopIds(), null));
        for (Generation generation : generations) {
            int[] tokens = generation.tokens();
            if (generation.stopId() >= 0 && generation.stopId() != end) {
                // a stop token of the answer's own (stopAfter, e.g. </answer>) is part of the response
                tokens = Arrays.copyOf(tokens, tokens.length + 1);
                tokens[tokens.length - 1] = generation.stopId();
            }
            String text = codec.decode(tokens);
            if (!wellFormed(text)) {
                continue;
            }
            double[] scores = rewards.scores(new Completion(prompt.prompt(), text, prompt.target(), tokens.length));
            if (acceptance.accepts(rewards, scores)) {
                accepted++;
                if (seen.add(prompt.prompt(), text)) {
                    kept.add(text);
                } else {
                    duplicates++;
                }
            }
        }
        return new PromptResult(index, config.samples(), accepted, duplicates, kept);
    }

    /** A response an SFT set can hold: not blank, and one assistant turn (no role marker inside). */
    private static boolean wellFormed(String text) {
        return !text.isBlank() && ROLE_MARKERS.stream().noneMatch(text::contains);
    }

    private int write(List<PromptResult> results) throws IOException {
        StringBuilder text = new StringBuilder();
        int kept = 0;
        for (PromptResult result : results) {
            GrpoPrompt prompt = prompts.get(result.index());
            for (String response : result.kept()) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("prompt", prompt.prompt());
                line.put("response", response);
                line.put("target", prompt.target());
                text.append(RejectionProgress.LINE.writeValueAsString(line)).append('\n');
                kept++;
            }
        }
        ModelSpecs.writeAtomically(config.out(), text.toString());
        return kept;
    }

    private static Map<String, Object> metric(PromptResult result, Totals totals, double seconds) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", result.index() + 1);
        metric.put("accepted", result.accepted());
        metric.put("total", result.total());
        metric.put("kept", result.kept().size());
        metric.put("duplicates", result.duplicates());
        metric.put("acceptance_rate", (double) totals.accepted / totals.samples);
        metric.put("prompt_s", seconds);
        return metric;
    }

    /**
     * A digest of everything that decides the samples and the verdicts: a progress file made under other settings
     * must not be continued.
     */
    private String settingsDigest(CheckpointMeta meta) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(meta.weightsDigest()).append('|').append(config.seed()).append('|').append(config.samples())
                .append('|').append(config.temperature()).append('|').append(config.topP()).append('|')
                .append(config.maxNewTokens()).append('|').append(acceptance.minReward()).append('|')
                // sorted: an immutable map's iteration order changes from one JVM to the next
                .append(new TreeMap<>(acceptance.thresholds()));
        if (codec.stopIds().length > 1) {
            // only stopAfter adds to the digest, so progress written before it existed still continues
            text.append("|stops:").append(Arrays.toString(codec.stopIds()));
        }
        for (WeightedRewards.Term term : rewards.terms()) {
            text.append('|').append(term.reward().name()).append(':').append(term.weight()).append(':')
                    .append(ModelSpecs.JSON.writeValueAsString(term.params()));
        }
        for (GrpoPrompt prompt : prompts) {
            text.append('\n').append(prompt.prompt()).append('\u0000').append(prompt.target());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Running counts over the prompts done. */
    private static final class Totals {
        private int prompts;
        private int samples;
        private int accepted;
        private int kept;

        void add(PromptResult result) {
            prompts++;
            samples += result.total();
            accepted += result.accepted();
            kept += result.kept().size();
        }

        RejectionResult result(TrainResult.Outcome outcome, String message, Path out) {
            return new RejectionResult(outcome, message, prompts, samples, accepted, kept, out);
        }
    }
}
