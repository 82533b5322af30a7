package org.r1wb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;

/** Streaming execution: same output as whole-input execution, bounded memory, prompt cancellation, every core. */
class StreamingExecutionTest {

    /** Reader → per-document chain → tokenizer and shards, with a second consumer of {@code normalize}. */
    private static final String PIPELINE = """
            {"format": 1, "name": "stream",
             "nodes": [
               {"id": "read", "stage": "read.text", "params": {"path": "raw/corpus.txt"}},
               {"id": "normalize", "stage": "normalize"},
               {"id": "pii", "stage": "clean.pii"},
               {"id": "quality", "stage": "filter.quality", "params": {"minChars": 20, "minEntropy": 2}},
               {"id": "exact", "stage": "dedup.exact"},
               {"id": "near", "stage": "dedup.minhash", "params": {"shingleSize": 3}},
               {"id": "english", "stage": "filter.language", "params": {"minConfidence": 0.5}},
               {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 400}},
               {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.1}}
             ],
             "edges": [{"from": "read", "to": "normalize"}, {"from": "normalize", "to": "pii"},
                       {"from": "pii", "to": "quality"}, {"from": "quality", "to": "exact"},
                       {"from": "exact", "to": "near"}, {"from": "near", "to": "bpe"}, {"from": "bpe", "to": "shards"},
                       {"from": "normalize", "to": "english"}]}
            """;

    private static final String SLOW_PIPELINE = """
            {"format": 1, "name": "slow",
             "nodes": [
               {"id": "read", "stage": "read.text", "params": {"path": "raw/corpus.txt"}},
               {"id": "normalize", "stage": "normalize"},
               {"id": "slow", "stage": "test.slow"},
               {"id": "exact", "stage": "dedup.exact"}
             ],
             "edges": [{"from": "read", "to": "normalize"}, {"from": "normalize", "to": "slow"},
                       {"from": "slow", "to": "exact"}]}
            """;

    @TempDir
    Path streamed;
    @TempDir
    Path whole;

    @Test
    void streamingGivesTheSameOutputAsWholeInputExecution() throws IOException {
        Path file = write(streamed, PIPELINE, 2000);
        Reports reports = new Reports();
        PipelineResult stream = new PipelineRunner(StageRegistry.builtIn(), ExecutionOptions.defaults())
                .run(streamed, file, reports, () -> false);
        PipelineResult reference = new PipelineRunner(StageRegistry.builtIn(), ExecutionOptions.wholeInputs())
                .run(whole, write(whole, PIPELINE, 2000), PipelineListener.NONE, () -> false);

        assertThat(reports.streams).extracting(StreamReport::nodes)
                .containsExactly(List.of("read", "normalize", "pii", "quality", "exact", "near"), List.of("english"));
        assertThat(stream.digest()).isEqualTo(reference.digest());
        assertThat(withoutTimes(stream.stats())).isEqualTo(withoutTimes(reference.stats()));
        assertThat(stream.stats().get(0).out()).isGreaterThan(2000);
        assertThat(stream.stats()).anySatisfy(s -> assertThat(s.dropped()).isNotEmpty());
        assertThat(fileDigests(streamed, stream)).isEqualTo(fileDigests(whole, reference));
    }

    @Test
    void documentsInFlightNeverExceedTheBound() throws IOException {
        Path file = write(streamed, PIPELINE, 1000);
        Reports reports = new Reports();
        PipelineResult stream = new PipelineRunner(StageRegistry.builtIn(), new ExecutionOptions(true, 2, 40, 16))
                .run(streamed, file, reports, () -> false);
        PipelineResult reference = new PipelineRunner(StageRegistry.builtIn(), ExecutionOptions.wholeInputs())
                .run(whole, write(whole, PIPELINE, 1000), PipelineListener.NONE, () -> false);

        StreamReport chain = reports.streams.get(0);
        assertThat(chain.maxInFlight()).isEqualTo(40);
        assertThat(chain.peakInFlight()).isBetween(16, 40);
        assertThat(fileDigests(streamed, stream)).isEqualTo(fileDigests(whole, reference));
    }

    @Test
    void moreThanOneWorkerThreadDoesTheWork() throws IOException {
        assumeThat(Runtime.getRuntime().availableProcessors()).isGreaterThan(1);
        Reports reports = new Reports();
        new PipelineRunner(withSlowStage(), ExecutionOptions.defaults())
                .run(streamed, write(streamed, SLOW_PIPELINE, 300), reports, () -> false);
        assertThat(reports.streams.get(0).workerThreads()).isGreaterThan(1);
    }

    @Test
    void cancellingMidStreamStopsPromptlyAndLeavesNothingTrusted() throws IOException {
        Path file = write(streamed, SLOW_PIPELINE, 3000);
        AtomicLong cancelledAt = new AtomicLong();
        PipelineListener cancelOnceSlowIsBusy = new PipelineListener() {
            @Override
            public void onStageProgress(String nodeId, double fraction, String message) {
                if (nodeId.equals("slow")) {
                    cancelledAt.compareAndSet(0, System.nanoTime());
                }
            }
        };
        PipelineRunner runner = new PipelineRunner(withSlowStage(), new ExecutionOptions(true, 2, 256, 32));
        assertThatThrownBy(() -> runner.run(streamed, file, cancelOnceSlowIsBusy, () -> cancelledAt.get() != 0))
                .isInstanceOf(CancellationException.class);
        long stopMillis = (System.nanoTime() - cancelledAt.get()) / 1_000_000;

        assertThat(cancelledAt.get()).isNotZero();
        assertThat(stopMillis).isLessThan(1500);
        Path nodes = streamed.resolve("data").resolve(NodeCache.DIR);
        PipelineDigest digests = PipelineDigest.compute(PipelineSpec.read(file), withSlowStage(), streamed);
        NodeCache cache = new NodeCache(nodes);
        digests.nodes().values().forEach(d -> assertThat(cache.find(d)).isEmpty());
        try (Stream<Path> left = Files.list(nodes)) {
            assertThat(left).isEmpty();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("r1wb-stream-"));
    }

    /**
     * The built-in stages plus {@code test.slow}, which passes documents on after 5 ms each: 3 000 documents take
     * 7.5 s on two workers, so a cancelled run that ends within 1.5 s stopped early.
     */
    private static StageRegistry withSlowStage() {
        List<Stage> stages = new ArrayList<>(StageRegistry.builtIn().all());
        stages.add(new SlowStage());
        return StageRegistry.of(stages);
    }

    private static final class SlowStage implements PerDocumentStage {
        @Override
        public String id() {
            return "test.slow";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public String description() {
            return "passes documents on slowly";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of();
        }

        @Override
        public DocumentProcessor<Outcome> processor(StageParams params) {
            return DocumentProcessor.pure(document -> {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Outcome.keep(document);
            });
        }
    }

    /** Collects stream reports. */
    private static final class Reports implements PipelineListener {
        final List<StreamReport> streams = new ArrayList<>();

        @Override
        public void onStreamFinished(StreamReport report) {
            streams.add(report);
        }
    }

    /** The statistics with the wall times zeroed (they differ between any two runs). */
    private static List<StageStats> withoutTimes(List<StageStats> stats) {
        return stats.stream().map(s -> new StageStats(s.nodeId(), s.stageId(), s.in(), s.out(), s.dropped(),
                s.counts(), s.warnings(), 0)).toList();
    }

    /**
     * SHA-256 of every file a run produced, by path: each node's cache values and files, and the run folder's shards
     * ({@code index.json}, {@code stats.json} and {@code entry.json} carry wall times, so they are left out).
     */
    private static Map<String, String> fileDigests(Path workspace, PipelineResult result) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        Path data = workspace.resolve("data");
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (!name.equals("index.json") && !name.equals("stats.json") && !name.equals("entry.json")
                        && !name.endsWith(".index.json")) {
                    digests.put(data.relativize(p).toString().replace(result.digest(), "RUN"), sha256(p));
                }
            }
        }
        assertThat(digests).isNotEmpty();
        return digests;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code pipeline} and a corpus of about {@code documents} lines: mixed-script text from
     * {@link TestCorpus}, English sentences, every tenth line twice, some with e-mail addresses, some short.
     */
    private static Path write(Path ws, String pipeline, int documents) throws IOException {
        Files.createDirectories(ws.resolve("raw"));
        List<String> lines = new ArrayList<>();
        List<String> mixed = TestCorpus.documents(5, documents * 200);
        for (int i = 0; i < documents && i < mixed.size(); i++) {
            String line = (i % 3 == 0 ? "the router sends token " + i + " to two experts while a shared expert sees it"
                    : mixed.get(i).replace('\n', ' '));
            if (i % 41 == 0) {
                line += " write to user" + i + "@example.com";
            }
            lines.add(i % 53 == 0 ? "short" : line);
            if (i % 10 == 0) {
                lines.add(line);
            }
        }
        Files.write(ws.resolve("raw/corpus.txt"), lines);
        Path file = ws.resolve("p.pipeline.json");
        Files.writeString(file, pipeline);
        return file;
    }
}
