package org.r1wb.workbench.inspect;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic probe captures ({@code attention} and {@code routing_tokens} events) for the recorded demo run,
 * whose model does not emit them yet, and the journal with them spliced in before the final status.
 * The patterns are those attention heads are known to learn (previous token, a sink on the first token,
 * self, copy of an earlier equal token), so the pictures look like a real model's.
 */
final class ProbeEvents {

    static final Path RECORDED = Path.of("src/test/resources/recorded/demo-9bded3bce96d/events.jsonl");
    static final List<String> TOKENS = List.of("Tom", " has", " 3", " apples", " and", " buys", " 4", " more", ".",
            " How", " many", " apples", " now", "?");
    static final int LAYERS = 4;
    static final int HEADS = 4;
    static final int EXPERTS = 8;
    static final long STEP = 400;

    private ProbeEvents() {
    }

    /** The recorded journal's lines with the probe events inserted before its {@code finished} status, seqs renumbered. */
    static List<String> journalWithProbe() throws IOException {
        List<RunEvent> recorded = EventJournal.read(RECORDED);
        List<String> lines = new ArrayList<>();
        long seq = 0;
        for (RunEvent event : recorded) {
            if ("status".equals(event.type()) && "finished".equals(event.text("state"))) {
                for (Map.Entry<String, Map<String, Object>> probe : payloads()) {
                    lines.add(EventJournal.toJson(new RunEvent(1, ++seq, event.run(), event.t(), probe.getKey(), probe.getValue())));
                }
            }
            lines.add(EventJournal.toJson(new RunEvent(event.v(), ++seq, event.run(), event.t(), event.type(), event.fields())));
        }
        return lines;
    }

    /** Writes {@link #journalWithProbe()} to {@code file} at once. */
    static void writeJournal(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, journalWithProbe());
    }

    /** Type and payload of every probe event: one attention map per layer and head, one token matrix per MoE layer. */
    static List<Map.Entry<String, Map<String, Object>>> payloads() {
        List<Map.Entry<String, Map<String, Object>>> events = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int head = 0; head < HEADS; head++) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("step", STEP);
                fields.put("layer", layer);
                fields.put("head", head);
                fields.put("tokens", TOKENS);
                fields.put("weights", attention(layer, head));
                events.add(Map.entry("attention", fields));
            }
        }
        for (int layer = 1; layer < LAYERS; layer++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("step", STEP);
            fields.put("layer", layer);
            fields.put("tokens", TOKENS);
            fields.put("weights", gates(layer));
            events.add(Map.entry("routing_tokens", fields));
        }
        return events;
    }

    /** Causal rows (query q has q + 1 keys), each summing to 1. */
    static List<List<Double>> attention(int layer, int head) {
        Random random = new Random(31L * layer + head);
        List<List<Double>> rows = new ArrayList<>();
        for (int q = 0; q < TOKENS.size(); q++) {
            double[] score = new double[q + 1];
            for (int k = 0; k <= q; k++) {
                score[k] = 0.15 * random.nextDouble();
                switch (head) {
                    case 0 -> score[k] += k == q - 1 || q == 0 ? 3.0 : 0;
                    case 1 -> score[k] += k == 0 ? 2.5 - 0.4 * layer : 0;
                    case 2 -> score[k] += k == q ? 2.0 + 0.3 * layer : 0;
                    default -> score[k] += TOKENS.get(k).equals(TOKENS.get(q)) || TOKENS.get(k).matches(" \\d") ? 2.2 : 0;
                }
            }
            rows.add(softmax(score));
        }
        return rows;
    }

    /** Router affinities per token: digits prefer one expert, punctuation another, words spread by their text. */
    static List<List<Double>> gates(int layer) {
        List<List<Double>> rows = new ArrayList<>();
        for (String token : TOKENS) {
            double[] logits = new double[EXPERTS];
            Random random = new Random(token.hashCode() * 7L + layer);
            for (int e = 0; e < EXPERTS; e++) {
                logits[e] = 0.6 * random.nextGaussian();
            }
            int preferred = token.matches(" \\d") ? 5 : token.matches("[.?]") ? 2 : Math.floorMod(token.hashCode() + layer, EXPERTS);
            logits[preferred] += 2.4;
            logits[(preferred + layer) % EXPERTS] += 1.2;
            rows.add(softmax(logits));
        }
        return rows;
    }

    private static List<Double> softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        double[] exp = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            exp[i] = Math.exp(scores[i] - max);
            sum += exp[i];
        }
        List<Double> out = new ArrayList<>();
        for (double e : exp) {
            out.add(e / sum);
        }
        return out;
    }
}
