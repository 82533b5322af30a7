package org.r1wb.model.recipe.grpo;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.generate.Generation;
import org.r1wb.model.generate.GenerationConfig;
import org.r1wb.model.generate.Generator;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.recipe.reward.Completion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a policy does on prompts it never trains on: each held-out prompt is answered greedily (the answer a user
 * would get) and scored by the stage's rewards. With the {@code accuracy} reward, {@code val_accuracy} is the
 * exact-match rate, the figure the R1-Zero benchmark follows. Prompts of one token length are decoded as one batch.
 * The answers themselves are returned too, so a stage can keep them ({@link #FILE}) for a reader to see what changed.
 */
public final class HeldoutEvaluation {

    /** The file in a run folder where a stage appends each evaluation's answers, in {@link RolloutLog}'s format. */
    public static final String FILE = "heldout-answers.jsonl";

    /**
     * One evaluation.
     *
     * @param metrics the {@code val_*} figures (see {@link #evaluate})
     * @param answers each prompt (in the held-out order) with its greedy answer, scores and length; advantage 0
     */
    public record Result(Map<String, Object> metrics, List<RolloutLog.Group> answers) {
    }

    /** Prompts decoded together at most; bounds the KV cache of a batch. */
    private static final int BATCH = 64;

    private final List<GrpoPrompt> prompts;
    private final GrpoStage.Codec codec;
    private final WeightedRewards rewards;
    private final int maxNewTokens;

    /** Scores greedy answers of up to {@code maxNewTokens} tokens to {@code prompts} with {@code rewards}. */
    public HeldoutEvaluation(List<GrpoPrompt> prompts, GrpoStage.Codec codec, WeightedRewards rewards,
                             int maxNewTokens) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no held-out prompts to evaluate on");
        }
        this.prompts = List.copyOf(prompts);
        this.codec = codec;
        this.rewards = rewards;
        this.maxNewTokens = maxNewTokens;
    }

    /** The held-out prompts. */
    public List<GrpoPrompt> prompts() {
        return prompts;
    }

    /**
     * {@code model}'s greedy answers and their mean scores: {@code val_reward} (weighted total), {@code val_<reward>}
     * per reward function, {@code val_completion_length} (tokens), {@code val_prompts} and {@code val_s}.
     */
    public Result evaluate(MoeTransformer model, NDManager manager) {
        long start = System.nanoTime();
        Generator generator = new Generator(model, manager);
        int end = codec.endOfTurn();
        GenerationConfig greedy = GenerationConfig.greedy(maxNewTokens, codec.stopIds());
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        List<int[]> ids = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            ids.add(codec.prompt(prompts.get(i).prompt()));
            byLength.computeIfAbsent(ids.get(i).length, k -> new ArrayList<>()).add(i);
        }
        int terms = rewards.terms().size();
        RolloutLog.Group[] answered = new RolloutLog.Group[prompts.size()];
        double[] sums = new double[terms];
        double total = 0;
        long tokens = 0;
        for (List<Integer> same : byLength.values()) {
            for (int from = 0; from < same.size(); from += BATCH) {
                List<Integer> chunk = same.subList(from, Math.min(same.size(), from + BATCH));
                int[][] batch = chunk.stream().map(ids::get).toArray(int[][]::new);
                Generation[] answers = generator.generateBatch(batch, new long[batch.length], greedy);
                for (int r = 0; r < answers.length; r++) {
                    GrpoPrompt prompt = prompts.get(chunk.get(r));
                    int[] answer = answers[r].tokens();
                    int stop = answers[r].stopId();
                    if (stop >= 0 && stop != end) {
                        // a stop token of the answer's own (stopAfter, e.g. </answer>) is part of its text
                        answer = Arrays.copyOf(answer, answer.length + 1);
                        answer[answer.length - 1] = stop;
                    }
                    String text = codec.decode(answer);
                    double[] score = rewards.scores(new Completion(prompt.prompt(), text, prompt.target(),
                            answer.length));
                    Map<String, Double> named = new LinkedHashMap<>();
                    for (int t = 0; t < terms; t++) {
                        sums[t] += score[t];
                        named.put(rewards.terms().get(t).reward().name(), score[t]);
                    }
                    total += rewards.total(score);
                    tokens += answer.length;
                    answered[chunk.get(r)] = new RolloutLog.Group(prompt.prompt(), prompt.target(), List.of(
                            new RolloutLog.Completion(text, rewards.total(score), named, 0, answer.length)));
                }
            }
        }
        int n = prompts.size();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("val_reward", total / n);
        for (int t = 0; t < terms; t++) {
            metrics.put("val_" + rewards.terms().get(t).reward().name(), sums[t] / n);
        }
        metrics.put("val_completion_length", (double) tokens / n);
        metrics.put("val_prompts", n);
        metrics.put("val_s", (System.nanoTime() - start) / 1e9);
        return new Result(metrics, List.of(answered));
    }
}
