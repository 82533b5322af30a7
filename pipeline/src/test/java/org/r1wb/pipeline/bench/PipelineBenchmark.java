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
import org.r1wb.pipeline.ExecutionOptions;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.StreamReport;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.clean.LanguageIdentifier;
import org.r1wb.pipeline.dedup.MinHasher;
import org.r1wb.pipeline.dedup.NearDuplicateIndex;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The measurements behind {@code bench/pipeline/run.sh} (a benchmark, not a test): pipeline throughput end to end
 * (streamed, then over whole inputs), BPE encode throughput against HF tokenizers on the same tokenizer.json, BPE
 * training time at given vocabulary sizes, MinHash + LSH and language identification documents per second on one
 * thread. Arguments: CORPUS WORKDIR VOCAB...
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
        languages(lines);
    }

    /**
     * The pipeline streamed (the default) and then over whole inputs, each in a fresh workspace, back to back; the
     * two must give the same shards.
     */
    private static void pipeline(Path corpus, Path work, double mb) throws IOException {
        // JIT warm-up of both paths on the first tenth of the corpus, so the measured runs start on equal terms.
        Path prefix = work.resolve("corpus-prefix.txt");
        try (var in = Files.newInputStream(corpus); var out = Files.newOutputStream(prefix)) {
            byte[] head = in.readNBytes((int) Math.min(Files.size(corpus) / 10, Integer.MAX_VALUE));
            out.write(head, 0, Math.max(0, lastNewline(head) + 1));
        }
        for (ExecutionOptions options : List.of(ExecutionOptions.defaults(), ExecutionOptions.wholeInputs())) {
            Path scratch = work.resolve("workspace-warmup");
            AtomicFiles.deleteTree(scratch);
            pipeline(prefix, scratch, Files.size(prefix) / 1e6, options, "warm-up");
            AtomicFiles.deleteTree(scratch);
        }
        Path streamedShards = pipeline(corpus, work.resolve("workspace"), mb, ExecutionOptions.defaults(), "streamed");
        Path wholeShards = pipeline(corpus, work.resolve("workspace-whole"), mb, ExecutionOptions.wholeInputs(),
                "whole inputs");
        if (Files.mismatch(streamedShards.resolve("train.bin"), wholeShards.resolve("train.bin")) != -1) {
            throw new IllegalStateException("streamed and whole-input runs wrote different train.bin");
        }
    }

    private static Path pipeline(Path corpus, Path ws, double mb, ExecutionOptions options, String name)
            throws IOException {
        Files.createDirectories(ws.resolve("raw"));
        Files.deleteIfExists(ws.resolve("raw/corpus.txt"));
        Files.copy(corpus, ws.resolve("raw/corpus.txt"));
        Path file = Files.writeString(ws.resolve("bench.pipeline.json"), PIPELINE);
        List<StreamReport> streams = new ArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void onStreamFinished(StreamReport report) {
                streams.add(report);
            }
        };
        System.gc();
        long start = System.nanoTime();
        PipelineResult result = new PipelineRunner(StageRegistry.builtIn(), options).run(ws, file, listener, () -> false);
        double seconds = (System.nanoTime() - start) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("pipeline end to end, %s: %.1f s, %.2f MB/s (cached=%s, heap in use at the end %.0f MB)%n",
                name, seconds, mb / seconds, result.cached(), (rt.totalMemory() - rt.freeMemory()) / 1e6);
        for (StageStats s : result.stats()) {
            System.out.printf("  %-10s %-16s in %,9d out %,9d %7.2f s dropped %s counts %s%n", s.nodeId(), s.stageId(),
                    s.in(), s.out(), s.millis() / 1000.0, s.dropped(), s.counts());
        }
        for (StreamReport r : streams) {
            System.out.printf("  streamed %s: %d worker threads, peak %,d of %,d documents in flight%n", r.nodes(),
                    r.workerThreads(), r.peakInFlight(), r.maxInFlight());
        }
        long rerun = System.nanoTime();
        PipelineResult again = new PipelineRunner(StageRegistry.builtIn(), options)
                .run(ws, file, PipelineListener.NONE, () -> false);
        System.out.printf("pipeline unchanged rerun, %s: %.2f s (cached=%s)%n", name, (System.nanoTime() - rerun) / 1e9,
                again.cached());
        return result.outputDir();
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Language identification on one thread over the first 100 000 documents. */
    private static void languages(List<String> lines) {
        LanguageIdentifier identifier = LanguageIdentifier.shared();
        List<String> sample = lines.subList(0, Math.min(lines.size(), 100_000));
        sample.subList(0, Math.min(sample.size(), 10_000)).forEach(identifier::identify); // JIT warm-up
        long start = System.nanoTime();
        long english = sample.stream().filter(t -> identifier.identify(t).filter(g -> g.language().equals("en"))
                .isPresent()).count();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("language id (filter.language's identifier, 1 thread): %,.0f docs/s (%,d of %,d named en)%n",
                sample.size() / seconds, english, sample.size());
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
