package org.r1wb.model.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small but real language model and codec for evaluation tests, no native code. */
final class TestModels {

    private TestModels() {
    }

    /** Characters as ids (ASCII), end of text 0. */
    static TextCodec chars(String digest) {
        return new TextCodec() {
            @Override
            public int[] encode(String text) {
                return text.chars().toArray();
            }

            @Override
            public String decode(int[] ids) {
                return new String(ids, 0, ids.length);
            }

            @Override
            public int endOfTextId() {
                return 0;
            }

            @Override
            public String digest() {
                return digest;
            }
        };
    }

    /**
     * A character bigram model with add-one smoothing over 128 symbols, trained on a text; generation
     * follows a script where one matches the end of the prompt (so tests can decide what is right), else
     * greedy bigram decoding. Counts what it is asked, so tests see what was recomputed.
     */
    static final class BigramModel implements EvalModel {
        private static final int VOCAB = 128;
        private final String digest;
        private final int[][] counts = new int[VOCAB][VOCAB];
        private final int[] totals = new int[VOCAB];
        private final Map<String, List<String>> scripts = new HashMap<>();
        int windows;
        int generations;

        BigramModel(String digest, String training) {
            this.digest = digest;
            for (int i = 1; i < training.length(); i++) {
                counts[training.charAt(i - 1) & 127][training.charAt(i) & 127]++;
                totals[training.charAt(i - 1) & 127]++;
            }
        }

        /** Prompts ending in {@code promptEnd} get {@code outputs} (sample i of a document picks by its seed). */
        BigramModel script(String promptEnd, String... outputs) {
            scripts.put(promptEnd, List.of(outputs));
            return this;
        }

        @Override
        public String checkpointDigest() {
            return digest;
        }

        @Override
        public int maxSequenceLength() {
            return 128;
        }

        @Override
        public double[] nll(int[][] batch) {
            double[] out = new double[batch.length];
            for (int w = 0; w < batch.length; w++) {
                windows++;
                if (batch[w].length < 2 || batch[w].length > maxSequenceLength()) {
                    throw new IllegalArgumentException("window of " + batch[w].length + " tokens");
                }
                for (int t = 1; t < batch[w].length; t++) {
                    int a = batch[w][t - 1] & 127;
                    int b = batch[w][t] & 127;
                    out[w] -= Math.log((counts[a][b] + 1.0) / (totals[a] + VOCAB));
                }
            }
            return out;
        }

        @Override
        public int[] greedy(int[] prompt, int maxNewTokens, int... stopIds) {
            return sample(prompt, maxNewTokens, 0, 1, 0, stopIds);
        }

        @Override
        public int[] sample(int[] prompt, int maxNewTokens, double temperature, double topP, long seed, int... stopIds) {
            generations++;
            String text = new String(prompt, 0, prompt.length);
            for (Map.Entry<String, List<String>> script : scripts.entrySet()) {
                if (text.endsWith(script.getKey())) {
                    List<String> outputs = script.getValue();
                    String out = temperature == 0 ? outputs.get(0) : outputs.get((int) Math.floorMod(seed, (long) outputs.size()));
                    return out.substring(0, Math.min(out.length(), maxNewTokens)).chars().toArray();
                }
            }
            int[] out = new int[maxNewTokens];
            int last = prompt.length == 0 ? 0 : prompt[prompt.length - 1] & 127;
            for (int i = 0; i < maxNewTokens; i++) {
                int best = 1;
                for (int b = 1; b < VOCAB; b++) {
                    best = counts[last][b] > counts[last][best] ? b : best;
                }
                out[i] = best;
                last = best;
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    /** Writes a JSONL file of {"question": "What is a+b?", "answer": "n"} problems with a plus b for i in 1..n. */
    static Path arithmetic(Path dir, String name, int n, int offset) throws java.io.IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            lines.append("{\"question\": \"What is ").append(i).append('+').append(i + offset).append("?\", \"answer\": \"")
                    .append(2 * i + offset).append("\"}\n");
        }
        return Files.writeString(dir.resolve(name), lines);
    }
}
