package org.r1wb.pipeline.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.dedup.MinHasher;
import org.r1wb.pipeline.dedup.NearDuplicateIndex;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The measurements behind {@code bench/pipeline/run.sh} (a benchmark, not a test): pipeline throughput end to end,
 * BPE encode throughput against HF tokenizers on the same tokenizer.json, BPE training time at given vocabulary
 * sizes, and MinHash + LSH documents per second on one thread. Arguments: CORPUS WORKDIR VOCAB...
 */
public final class PipelineBenchmark {

    private static final String PIPELINE = """
            {"format": 1, "name": "bench",
             "nodes": [
               {"id": "read", "stage": "read.text", "params": {"path": "raw/corpus.txt"}},
               {"id": "normalize", "stage": "normalize"},
               {"id": "pii", "stage": "clean.pii"},
               {"id": "quality", "stage": "filter.quality", "params": {"minChars": 20}},
               {"id": "exact", "stage": "dedup.exact"},
               {"id": "near", "stage": "dedup.minhash"},
               {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 8192}},
               {"id": "shards", "stage": "shards.write"}
             ],
             "edges": [{"from": "read", "to": "normalize"}, {"from": "normalize", "to": "pii"},
                       {"from": "pii", "to": "quality"}, {"from": "quality", "to": "exact"},
                       {"from": "exact", "to": "near"}, {"from": "near", "to": "bpe"}, {"from": "bpe", "to": "shards"}]}
            """;

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path corpus = Path.of(args[0]);
        Path work = Path.of(args[1]);
        double mb = Files.size(corpus) / 1e6;
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        System.out.printf("corpus: %.1f MB, %,d non-blank lines (documents), %d cores%n", mb, lines.size(),
                Runtime.getRuntime().availableProcessors());

        pipeline(corpus, work, mb);
        for (int i = 2; i < args.length; i++) {
            int vocab = Integer.parseInt(args[i]);
            long start = System.nanoTime();
            BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(vocab).build().train(lines);
            double seconds = (System.nanoTime() - start) / 1e9;
            Path file = work.resolve("tokenizer-" + vocab + ".json");
            tokenizer.save(file);
            System.out.printf("bpe-train vocab %d: ours %.1f s (%d tokens) -> %s%n", vocab, seconds,
                    tokenizer.vocabSize(), file);
            if (i == 2) {
                encode(tokenizer, file, lines, mb);
            }
        }
        minhash(lines);
    }

    private static void pipeline(Path corpus, Path work, double mb) throws IOException {
        Path ws = work.resolve("workspace");
        Files.createDirectories(ws.resolve("raw"));
        Files.deleteIfExists(ws.resolve("raw/corpus.txt"));
        Files.copy(corpus, ws.resolve("raw/corpus.txt"));
        Path file = Files.writeString(ws.resolve("bench.pipeline.json"), PIPELINE);
        long start = System.nanoTime();
        PipelineResult result = new PipelineRunner().run(ws, file, PipelineListener.NONE, () -> false);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("pipeline end to end: %.1f s, %.2f MB/s (cached=%s)%n", seconds, mb / seconds,
                result.cached());
        for (StageStats s : result.stats()) {
            System.out.printf("  %-10s %-16s in %,9d out %,9d %7.2f s dropped %s counts %s%n", s.nodeId(), s.stageId(),
                    s.in(), s.out(), s.millis() / 1000.0, s.dropped(), s.counts());
        }
        long rerun = System.nanoTime();
        PipelineResult again = new PipelineRunner().run(ws, file, PipelineListener.NONE, () -> false);
        System.out.printf("pipeline unchanged rerun: %.2f s (cached=%s)%n", (System.nanoTime() - rerun) / 1e9,
                again.cached());
    }

    private static void encode(BpeTokenizer ours, Path file, List<String> lines, double mb) throws IOException {
        String[] texts = lines.toArray(new String[0]);
        int batch = 8192;
        // warm-up: JIT for ours, the native library for HF (the word cache is cleared by building a fresh tokenizer)
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file,
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            hf.batchEncode(Arrays.copyOf(texts, Math.min(texts.length, batch)), false, false);
            BpeTokenizer.load(file).encode(String.join("\n", Arrays.copyOf(texts, Math.min(texts.length, batch))));
            BpeTokenizer fresh = BpeTokenizer.load(file);
            long start = System.nanoTime();
            long tokens = 0;
            for (String t : texts) {
                tokens += fresh.encode(t).length;
            }
            double oursSingle = (System.nanoTime() - start) / 1e9;
            fresh = BpeTokenizer.load(file);
            start = System.nanoTime();
            long[] parallelTokens = new long[1];
            for (int from = 0; from < texts.length; from += batch) {
                int to = Math.min(texts.length, from + batch);
                BpeTokenizer shared = fresh;
                parallelTokens[0] += IntStream.range(from, to).parallel().mapToLong(k -> shared.encode(texts[k]).length).sum();
            }
            double oursParallel = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            long hfTokens = 0;
            for (int from = 0; from < texts.length; from += batch) {
                Encoding[] encodings = hf.batchEncode(Arrays.copyOfRange(texts, from, Math.min(texts.length, from + batch)),
                        false, false);
                for (Encoding e : encodings) {
                    hfTokens += e.getIds().length;
                }
            }
            double hfSeconds = (System.nanoTime() - start) / 1e9;
            int mismatches = 0;
            for (int k = 0; k < texts.length; k += 97) {
                long[] theirs = hf.encode(texts[k], false, false).getIds();
                if (!Arrays.equals(Arrays.stream(theirs).mapToInt(Math::toIntExact).toArray(), ours.encode(texts[k]))) {
                    mismatches++;
                }
            }
            System.out.printf("bpe-encode: ours 1 thread %.2f MB/s, ours parallel %.2f MB/s, HF batchEncode %.2f MB/s;"
                            + " ratio ours-parallel/HF %.2fx, ours-1-thread/HF %.2fx; tokens ours %,d HF %,d;"
                            + " id mismatches on every 97th line: %d%n",
                    mb / oursSingle, mb / oursParallel, mb / hfSeconds, hfSeconds / oursParallel, hfSeconds / oursSingle,
                    tokens, hfTokens, mismatches);
            if (parallelTokens[0] != tokens) {
                throw new IllegalStateException("parallel encode gave " + parallelTokens[0] + " tokens, serial " + tokens);
            }
        }
    }

    private static void minhash(List<String> lines) {
        MinHasher hasher = new MinHasher(5, 128, 1);
        for (int k = 0; k < Math.min(lines.size(), 50_000); k++) {
            hasher.signature(lines.get(k)); // JIT warm-up
        }
        NearDuplicateIndex index = new NearDuplicateIndex(128, 20, 6, 0.7);
        long start = System.nanoTime();
        int duplicates = 0;
        long words = 0;
        for (String line : lines) {
            if (index.add(hasher.signature(line)) >= 0) {
                duplicates++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (String line : lines) {
            words += line.isBlank() ? 0 : line.strip().split("\\s+").length;
        }
        System.out.printf("minhash (128 permutations, 20x6 bands, shingle 5, 1 thread): %,.0f docs/s"
                        + " (%,d docs of %.1f words on average, %,d near duplicates)%n",
                lines.size() / seconds, lines.size(), (double) words / lines.size(), duplicates);
    }
}
