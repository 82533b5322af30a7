package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ROUGE F1 as Google's {@code rouge-score} computes it without stemming: lower-cased, every run of
 * characters other than {@code [a-z0-9]} a separator; ROUGE-N from clipped n-gram overlap, ROUGE-L from the
 * longest common subsequence (Lin 2004). The value is the mean F1 over documents (the best over a
 * document's references), the standard error that of the mean.
 */
public abstract class Rouge implements Metric {

    /** Precision, recall and their harmonic mean. */
    public record Score(double precision, double recall, double fmeasure) {

        static Score of(double overlap, int predictionLength, int targetLength) {
            double p = predictionLength == 0 ? 0 : overlap / predictionLength;
            double r = targetLength == 0 ? 0 : overlap / targetLength;
            return new Score(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
        }
    }

    /** rouge-score's default tokenizer. */
    public static List<String> tokenize(String text) {
        String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
        return cleaned.isEmpty() ? List.of() : List.of(cleaned.split(" "));
    }

    /** ROUGE-N of {@code prediction} against {@code target}. */
    public static Score rougeN(String target, String prediction, int n) {
        Map<List<String>, Integer> targetGrams = ngrams(tokenize(target), n);
        Map<List<String>, Integer> predictionGrams = ngrams(tokenize(prediction), n);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> entry : predictionGrams.entrySet()) {
            overlap += Math.min(entry.getValue(), targetGrams.getOrDefault(entry.getKey(), 0));
        }
        int targetCount = targetGrams.values().stream().mapToInt(Integer::intValue).sum();
        int predictionCount = predictionGrams.values().stream().mapToInt(Integer::intValue).sum();
        return Score.of(overlap, predictionCount, targetCount);
    }

    /** ROUGE-L (sentence level, the whole text one sequence) of {@code prediction} against {@code target}. */
    public static Score rougeL(String target, String prediction) {
        List<String> t = tokenize(target);
        List<String> p = tokenize(prediction);
        int[][] lcs = new int[t.size() + 1][p.size() + 1];
        for (int i = 1; i <= t.size(); i++) {
            for (int j = 1; j <= p.size(); j++) {
                lcs[i][j] = t.get(i - 1).equals(p.get(j - 1)) ? lcs[i - 1][j - 1] + 1
                        : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        return Score.of(lcs[t.size()][p.size()], p.size(), t.size());
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.GENERATE_UNTIL);
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        double[] f1 = new double[samples.size()];
        for (int i = 0; i < f1.length; i++) {
            Sample sample = samples.get(i);
            String prediction = sample.outputs().isEmpty() ? "" : sample.outputs().get(0);
            for (String target : sample.targets()) {
                f1[i] = Math.max(f1[i], score(target, prediction).fmeasure());
            }
        }
        return Stats.mean(name(), f1);
    }

    /** This variant's score of one prediction against one target. */
    abstract Score score(String target, String prediction);

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(new ArrayList<>(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    /** ROUGE-1: unigram overlap. */
    public static final class One extends Rouge {
        @Override
        public String name() {
            return "rouge1";
        }

        @Override
        Score score(String target, String prediction) {
            return rougeN(target, prediction, 1);
        }
    }

    /** ROUGE-2: bigram overlap. */
    public static final class Two extends Rouge {
        @Override
        public String name() {
            return "rouge2";
        }

        @Override
        Score score(String target, String prediction) {
            return rougeN(target, prediction, 2);
        }
    }

    /** ROUGE-L: longest common subsequence. */
    public static final class L extends Rouge {
        @Override
        public String name() {
            return "rougeL";
        }

        @Override
        Score score(String target, String prediction) {
            return rougeL(target, prediction);
        }
    }
}
