package org.r1wb.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.r1wb.model.nn.KvCache;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.train.GradMode;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Autoregressive decoding with a KV cache: the prompt is run once (prefill), then each new token costs one
 * position's forward pass. Past the model's context the window slides: the cache is rebuilt from the last
 * {@code maxSeqLen} tokens for every further token, which is what decoding without a cache computes.
 * Greedy, temperature and nucleus (top-p) sampling, stop ids and stop strings. Not thread-safe.
 */
public final class Generator {

    private final MoeTransformer model;
    private final ParameterStore store;
    private final NDManager manager;

    /** Decodes with {@code model}, whose parameters live in {@code manager}. */
    public Generator(MoeTransformer model, NDManager manager) {
        this.model = model;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
    }

    /** Continues {@code prompt} (at least one id); {@code decoder} (may be {@code null}) turns ids into text for stop strings. */
    public Generation generate(int[] prompt, GenerationConfig config, Function<int[], String> decoder) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generation needs a prompt of at least one token");
        }
        if (!config.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a decoder to turn ids into text");
        }
        GradMode.offOnThisThread();
        int window = model.spec().maxSeqLen();
        SplittableRandom random = new SplittableRandom(config.seed());
        int[] sequence = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
        int length = prompt.length;
        try (NDManager session = manager.newSubManager(); KvCache cache = model.newCache(session)) {
            float[] logits = prefill(cache, sequence, Math.max(0, length - window), length);
            while (length - prompt.length < config.maxNewTokens()) {
                int next = choose(logits, config, random);
                if (contains(config.stopIds(), next)) {
                    int[] tokens = Arrays.copyOfRange(sequence, prompt.length, length);
                    return new Generation(tokens, decoder == null ? null : decoder.apply(tokens),
                            Generation.StopReason.STOP_ID, next);
                }
                sequence[length++] = next;
                if (decoder != null && !config.stopStrings().isEmpty()) {
                    String text = decoder.apply(Arrays.copyOfRange(sequence, prompt.length, length));
                    int cut = firstStop(text, config);
                    if (cut >= 0) {
                        return new Generation(Arrays.copyOfRange(sequence, prompt.length, length),
                                text.substring(0, cut), Generation.StopReason.STOP_STRING);
                    }
                }
                if (length - prompt.length == config.maxNewTokens()) {
                    break;
                }
                logits = cache.length() < window
                        ? step(cache, sequence, length - 1, length)
                        : prefill(cache, sequence, length - window, length);
            }
        }
        return result(sequence, prompt.length, length, decoder, Generation.StopReason.LENGTH);
    }

    /**
     * Continues {@code prompt} once per seed, all rows in one batch: row i samples as {@link #generate} would with
     * {@code config}'s seed replaced by {@code seeds[i]} (equal up to float rounding, since the batched matrix
     * products sum in another order). A GRPO group or a rejection-sampling round costs one forward pass per token
     * instead of one per completion. Stop strings are not supported; a row that stops waits, unread, for the others.
     */
    public Generation[] generateGroup(int[] prompt, long[] seeds, GenerationConfig config) {
        int[][] prompts = new int[seeds.length][];
        Arrays.fill(prompts, prompt);
        return generateBatch(prompts, seeds, config);
    }

    /**
     * Continues prompts of one length in one batch, row i with seed {@code seeds[i]}, as {@link #generateGroup}
     * does; greedy evaluation of many prompts batches those of equal length.
     */
    public Generation[] generateBatch(int[][] prompts, long[] seeds, GenerationConfig config) {
        if (prompts.length != seeds.length) {
            throw new IllegalArgumentException(prompts.length + " prompts but " + seeds.length + " seeds");
        }
        if (!config.stopStrings().isEmpty()) {
            throw new IllegalArgumentException("batched generation stops on ids only, not on stop strings");
        }
        int rows = seeds.length;
        Generation[] out = new Generation[rows];
        if (rows == 0) {
            return out;
        }
        int length = prompts[0].length;
        for (int[] prompt : prompts) {
            if (prompt.length == 0 || prompt.length != length) {
                throw new IllegalArgumentException("a batch needs prompts of one length, at least one token each");
            }
        }
        if (length + config.maxNewTokens() > model.spec().maxSeqLen()) {
            // past the context the window slides per row; that path is one row at a time
            for (int r = 0; r < rows; r++) {
                out[r] = generate(prompts[r], withSeed(config, seeds[r]), null);
            }
            return out;
        }
        GradMode.offOnThisThread();
        SplittableRandom[] random = new SplittableRandom[rows];
        int[][] tokens = new int[rows][config.maxNewTokens()];
        int[] lengths = new int[rows];
        int[] batch = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            random[r] = new SplittableRandom(seeds[r]);
            System.arraycopy(prompts[r], 0, batch, r * length, length);
        }
        int running = rows;
        try (NDManager session = manager.newSubManager(); KvCache cache = model.newCache(session)) {
            float[][] logits = stepRows(cache, batch, rows, length);
            int[] next = new int[rows];
            for (int produced = 0; running > 0 && produced < config.maxNewTokens(); produced++) {
                for (int r = 0; r < rows; r++) {
                    if (out[r] != null) {
                        continue;
                    }
                    next[r] = choose(logits[r], config, random[r]);
                    if (contains(config.stopIds(), next[r])) {
                        out[r] = new Generation(Arrays.copyOf(tokens[r], lengths[r]), null,
                                Generation.StopReason.STOP_ID, next[r]);
                        running--;
                    } else {
                        tokens[r][lengths[r]++] = next[r];
                    }
                }
                if (running > 0 && produced + 1 < config.maxNewTokens()) {
                    logits = stepRows(cache, next, rows, 1);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            if (out[r] == null) {
                out[r] = new Generation(Arrays.copyOf(tokens[r], lengths[r]), null, Generation.StopReason.LENGTH);
            }
        }
        return out;
    }

    private static GenerationConfig withSeed(GenerationConfig config, long seed) {
        return new GenerationConfig(config.maxNewTokens(), config.temperature(), config.topP(), seed, config.stopIds(),
                config.stopStrings());
    }

    /** Runs {@code rows} rows of {@code t} ids each after what the cache holds; each row's next-token logits. */
    private float[][] stepRows(KvCache cache, int[] ids, int rows, int t) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray input = scratch.create(ids, new Shape(rows, t)).toType(DataType.INT64, false);
            float[] last = model.apply(store, input, false, cache).get(0).get(new NDIndex(":, -1")).toFloatArray();
            int vocab = last.length / rows;
            float[][] logits = new float[rows][];
            for (int r = 0; r < rows; r++) {
                logits[r] = Arrays.copyOfRange(last, r * vocab, (r + 1) * vocab);
            }
            return logits;
        }
    }

    /** Empties the cache and runs {@code sequence[from, to)} through it; the next-token logits of the last position. */
    private float[] prefill(KvCache cache, int[] sequence, int from, int to) {
        cache.clear();
        return step(cache, sequence, from, to);
    }

    /** Runs {@code sequence[from, to)} after what the cache holds; the next-token logits (V) of the last position. */
    private float[] step(KvCache cache, int[] sequence, int from, int to) {
        try (NDManager scratch = manager.newSubManager()) {
            int t = to - from;
            NDArray ids = scratch.create(Arrays.copyOfRange(sequence, from, to), new Shape(1, t))
                    .toType(DataType.INT64, false);
            NDArray logits = model.apply(store, ids, false, cache).get(0);        // (1, t, V)
            return logits.get(new NDIndex("0, -1")).toFloatArray();
        }
    }

    /** The next id: the argmax when greedy, else a draw from the temperature-scaled, top-p-truncated softmax. */
    static int choose(float[] logits, GenerationConfig config, SplittableRandom random) {
        if (config.isGreedy()) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / config.temperature());
            sum += p[i];
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            p[i] /= sum;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        int kept = 0;
        double mass = 0;
        while (kept < order.length && (kept == 0 || mass < config.topP())) {
            mass += p[order[kept++]];
        }
        double u = random.nextDouble() * mass;
        for (int i = 0; i < kept; i++) {
            u -= p[order[i]];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    private static int firstStop(String text, GenerationConfig config) {
        int cut = -1;
        for (String stop : config.stopStrings()) {
            int at = text.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        return cut;
    }

    private static Generation result(int[] sequence, int from, int to, Function<int[], String> decoder,
                                     Generation.StopReason reason) {
        int[] tokens = Arrays.copyOfRange(sequence, from, to);
        return new Generation(tokens, decoder == null ? null : decoder.apply(tokens), reason);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
