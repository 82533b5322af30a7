package org.r1wb.model.eval;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Held-out perplexity: {@code exp} of the mean next-token negative log-likelihood over fixed token
 * windows. The standard error is the delta-method one over per-window means.
 */
public final class PerplexityTask implements EvalTask {

    private static final int BATCH = 8;

    private final String name;
    private final int[][] windows;
    private final String digest;

    /** {@code windows} are the held-out token windows (each ≥ 2 tokens); their content is the task's digest. */
    public PerplexityTask(String name, int[][] windows) {
        if (windows.length == 0) {
            throw new IllegalArgumentException("perplexity task '" + name + "' has no windows: the held-out split is empty");
        }
        this.name = name;
        this.windows = windows;
        this.digest = Digests.sha256("perplexity/v1\n" + Digests.sha256(windows));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String digest() {
        return digest;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of("windows", windows.length, "windowLength", windows[0].length);
    }

    @Override
    public List<EvalResult> run(EvalModel model, Progress progress, BooleanSupplier cancelled) {
        double totalNll = 0;
        long totalTokens = 0;
        double[] perWindow = new double[windows.length];
        for (int start = 0; start < windows.length; start += BATCH) {
            if (cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("evaluation cancelled");
            }
            int end = Math.min(windows.length, start + BATCH);
            int[][] batch = java.util.Arrays.copyOfRange(windows, start, end);
            double[] nll = model.nll(batch);
            for (int i = 0; i < nll.length; i++) {
                int predicted = batch[i].length - 1;
                perWindow[start + i] = nll[i] / predicted;
                totalNll += nll[i];
                totalTokens += predicted;
            }
            progress.update(end, windows.length);
        }
        double meanNll = totalNll / totalTokens;
        double variance = 0;
        for (double value : perWindow) {
            variance += (value - meanNll) * (value - meanNll);
        }
        double stderrNll = windows.length > 1 ? Math.sqrt(variance / (windows.length - 1) / windows.length) : 0;
        double perplexity = Math.exp(meanNll);
        return List.of(
                new EvalResult(name, "perplexity", perplexity, perplexity * stderrNll, windows.length, false),
                new EvalResult(name, "nll", meanNll, stderrNll, windows.length, false));
    }
}
