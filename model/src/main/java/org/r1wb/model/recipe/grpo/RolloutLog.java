package org.r1wb.model.recipe.grpo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollouts of a GRPO run, one JSON line per step in {@code rollouts.jsonl} beside its journal: every prompt of
 * the step with its group of completions, each with its total and per-reward scores and its group-relative
 * advantage. The rollout browser reads it. A step redone after a resume is written again; readers keep the last
 * line of each step, and a torn last line (a crash mid-write) is skipped.
 */
public final class RolloutLog {

    /** The file in a run folder. */
    public static final String FILE = "rollouts.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One completion: its text, total reward, reward by name, advantage and length in tokens. */
    public record Completion(String text, double reward, Map<String, Double> rewards, double advantage, int tokens) {
    }

    /** One prompt of a step and its group. */
    public record Group(String prompt, String target, List<Completion> completions) {
    }

    /** One step's rollouts. */
    public record Step(int step, List<Group> groups) {
    }

    private RolloutLog() {
    }

    /** Appends {@code step} to the run folder's file and flushes it. */
    public static void append(Path runDir, Step step) throws IOException {
        append(runDir, FILE, step);
    }

    /**
     * Appends {@code step} to the run folder's {@code file}: {@link #FILE}, or {@link HeldoutEvaluation#FILE} where the
     * held-out evaluations write their greedy answers in the same format (one completion a group).
     */
    public static void append(Path runDir, String file, Step step) throws IOException {
        Files.createDirectories(runDir);
        try (BufferedWriter out = Files.newBufferedWriter(runDir.resolve(file), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(JSON.writeValueAsString(step));
            out.write('\n');
        }
    }

    /** Every step of the file, in step order, the last line of a step winning; no file gives no steps. */
    public static List<Step> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<Integer, Step> steps = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                Step step = JSON.readValue(line, Step.class);
                steps.put(step.step(), step);
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new IOException(file + ":" + (i + 1) + ": not a rollout line: " + e.getOriginalMessage(), e);
                }
                // the last line was torn by a crash mid-write; the step it held is redone on resume
            }
        }
        return new ArrayList<>(steps.values());
    }

    /**
     * The step's groups from completions scored in any order: {@code prompts[p]} with its completions, each group's
     * advantages computed as the trainer computes them ({@link GroupAdvantages}).
     */
    static Step of(int step, List<GrpoPrompt> prompts, List<List<Scored>> byPrompt) {
        List<Group> groups = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            List<Scored> scored = byPrompt.get(p);
            double[] totals = scored.stream().mapToDouble(Scored::reward).toArray();
            double[] advantages = totals.length >= 2 ? GroupAdvantages.of(totals, totals.length) : new double[totals.length];
            List<Completion> completions = new ArrayList<>();
            for (int i = 0; i < scored.size(); i++) {
                Scored s = scored.get(i);
                completions.add(new Completion(s.text(), s.reward(), s.rewards(), advantages[i], s.tokens()));
            }
            groups.add(new Group(prompts.get(p).prompt(), prompts.get(p).target(), completions));
        }
        return new Step(step, groups);
    }

    /** A completion as the reward callback saw it. */
    record Scored(String text, double reward, Map<String, Double> rewards, int tokens) {
    }
}
