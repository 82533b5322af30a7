package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Corpus BLEU as sacreBLEU computes it (Post 2018): 13a tokenisation, clipped n-gram precisions up to
 * 4-grams against every reference, the closest reference length for the brevity penalty, and sacreBLEU's
 * smoothing methods. Scores are on sacreBLEU's 0–100 scale; the standard error is a bootstrap over documents.
 */
public final class Bleu implements Metric {

    /** Largest n-gram order. */
    public static final int MAX_ORDER = 4;

    /** How zero n-gram matches are smoothed (sacreBLEU's {@code smooth_method}). */
    public enum Smoothing {
        /** No smoothing: a zero precision zeroes the score. */
        NONE,
        /** A zero count becomes {@code smoothValue} (sacreBLEU's {@code floor}). */
        FLOOR,
        /** {@code k} added to counts and totals of orders ≥ 2 ({@code add-k}). */
        ADD_K,
        /** mteval-v13a's: the i-th zero precision becomes 1 / (2^i · total) (the default, {@code exp}). */
        EXP
    }

    /** sacreBLEU's settings: smoothing and its value, tokenisation on or off, effective order. */
    public record Options(Smoothing smoothing, double smoothValue, boolean tokenize13a, boolean effectiveOrder) {

        /** {@code corpus_bleu}'s defaults. */
        public static Options defaults() {
            return new Options(Smoothing.EXP, 0, true, false);
        }
    }

    /** Sufficient statistics of one or more segments; they add up over a corpus. */
    public record Counts(long[] correct, long[] total, long hypLength, long refLength) {

        Counts plus(Counts o) {
            long[] c = new long[MAX_ORDER];
            long[] t = new long[MAX_ORDER];
            for (int n = 0; n < MAX_ORDER; n++) {
                c[n] = correct[n] + o.correct[n];
                t[n] = total[n] + o.total[n];
            }
            return new Counts(c, t, hypLength + o.hypLength, refLength + o.refLength);
        }

        static Counts zero() {
            return new Counts(new long[MAX_ORDER], new long[MAX_ORDER], 0, 0);
        }
    }

    @Override
    public String name() {
        return "bleu";
    }

    @Override
    public Set<OutputType> accepts() {
        return Set.of(OutputType.GENERATE_UNTIL);
    }

    @Override
    public Set<String> parameters() {
        return Set.of("smooth", "smooth_value", "tokenize");
    }

    @Override
    public MetricValue compute(List<Sample> samples, Map<String, Object> params) {
        Options options = new Options(
                Smoothing.valueOf(String.valueOf(params.getOrDefault("smooth", "exp")).toUpperCase().replace('-', '_')),
                ((Number) params.getOrDefault("smooth_value", 0.0)).doubleValue(),
                !"none".equals(params.getOrDefault("tokenize", "13a")), false);
        List<Counts> perSample = new ArrayList<>();
        for (Sample sample : samples) {
            String hypothesis = sample.outputs().isEmpty() ? "" : sample.outputs().get(0);
            perSample.add(counts(hypothesis, sample.targets(), options));
        }
        double value = score(sum(perSample, null), options);
        double stderr = Stats.bootstrapStderr(perSample.size(), pick -> score(sum(perSample, pick), options));
        return new MetricValue(name(), value, stderr);
    }

    /** Corpus BLEU of {@code hypotheses}, each with its own references. */
    public static double corpus(List<String> hypotheses, List<List<String>> references, Options options) {
        List<Counts> perSample = new ArrayList<>();
        for (int i = 0; i < hypotheses.size(); i++) {
            perSample.add(counts(hypotheses.get(i), references.get(i), options));
        }
        return score(sum(perSample, null), options);
    }

    /** The statistics of one hypothesis against its references. */
    public static Counts counts(String hypothesis, List<String> references, Options options) {
        List<String> hyp = tokens(hypothesis, options);
        Map<List<String>, Integer> maxRefCounts = new HashMap<>();
        long closest = -1;
        for (String reference : references) {
            List<String> ref = tokens(reference, options);
            long diff = Math.abs(ref.size() - hyp.size());
            // sacreBLEU's "closest" reference length; a tie goes to the shorter reference
            if (closest < 0 || diff < Math.abs(closest - hyp.size())
                    || (diff == Math.abs(closest - hyp.size()) && ref.size() < closest)) {
                closest = ref.size();
            }
            ngrams(ref).forEach((gram, count) -> maxRefCounts.merge(gram, count, Math::max));
        }
        long[] correct = new long[MAX_ORDER];
        long[] total = new long[MAX_ORDER];
        for (Map.Entry<List<String>, Integer> entry : ngrams(hyp).entrySet()) {
            int n = entry.getKey().size() - 1;
            total[n] += entry.getValue();
            correct[n] += Math.min(entry.getValue(), maxRefCounts.getOrDefault(entry.getKey(), 0));
        }
        return new Counts(correct, total, hyp.size(), Math.max(0, closest));
    }

    /** BLEU (0–100) from corpus statistics, following sacreBLEU's {@code compute_bleu}. */
    public static double score(Counts counts, Options options) {
        long[] correctCounts = counts.correct();
        long[] totalCounts = counts.total();
        double[] precisions = new double[MAX_ORDER];
        double smoothMteval = 1.0;
        int effectiveOrder = MAX_ORDER;
        for (int n = 1; n <= MAX_ORDER; n++) {
            double correct = correctCounts[n - 1];
            double total = totalCounts[n - 1];
            if (options.smoothing() == Smoothing.ADD_K && n > 1) {
                correct += options.smoothValue();
                total += options.smoothValue();
            }
            if (total == 0) {
                break;
            }
            if (options.effectiveOrder()) {
                effectiveOrder = n;
            }
            if (correct == 0) {
                if (options.smoothing() == Smoothing.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total);
                } else if (options.smoothing() == Smoothing.FLOOR) {
                    precisions[n - 1] = 100.0 * options.smoothValue() / total;
                }
            } else {
                precisions[n - 1] = 100.0 * correct / total;
            }
        }
        double brevity = 1.0;
        if (counts.hypLength() < counts.refLength()) {
            brevity = counts.hypLength() > 0 ? Math.exp(1.0 - (double) counts.refLength() / counts.hypLength()) : 0.0;
        }
        double logSum = 0;
        for (int n = 0; n < effectiveOrder; n++) {
            if (precisions[n] == 0) {
                return 0.0;
            }
            logSum += Math.log(precisions[n]);
        }
        return brevity * Math.exp(logSum / effectiveOrder);
    }

    private static List<String> tokens(String text, Options options) {
        if (options.tokenize13a()) {
            return Tokenizer13a.tokenize(text);
        }
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Counts sum(List<Counts> perSample, int[] pick) {
        Counts sum = Counts.zero();
        if (pick == null) {
            for (Counts c : perSample) {
                sum = sum.plus(c);
            }
        } else {
            for (int i : pick) {
                sum = sum.plus(perSample.get(i));
            }
        }
        return sum;
    }
}
