package org.r1wb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.shards.TokenShards;
import org.r1wb.pipeline.shards.TokenSplit;
import org.r1wb.pipeline.stage.StageStats;

class PipelineRunnerTest {

    private static final String PIPELINE = """
            {
              "format": 1,
              "name": "sample",
              "nodes": [
                {"id": "arithmetic", "stage": "read.jsonl", "params": {"path": "data/raw/arithmetic%1$s", "textField": "text", "onError": "%2$s"}},
                {"id": "prose", "stage": "read.text", "params": {"path": "data/raw/prose%3$s", "unit": "line"}},
                {"id": "normalize", "stage": "normalize", "params": {"form": "NFKC"}},
                {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 512, "minFrequency": 2, "specialTokens": ["<|endoftext|>"]}},
                {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.05, "seed": 7}}
              ],
              "edges": [{"from": "arithmetic", "to": "normalize"}, {"from": "prose", "to": "normalize"},
                        {"from": "normalize", "to": "bpe"}, {"from": "bpe", "to": "shards"}]
            }
            """;

    /** Raw prose lines with the text the normalize stage must make of them, written out by hand. */
    private static final String[][] PROSE_CASES = {
        {"ﬁve  apples\tand ＴＷＯ pears", "five apples and TWO pears"},
        {"  café e\u0301clair  ", "café éclair"},
        {"bell\u0007 rings", "bell rings"},
        {"東京　タワー 🙂", "東京 タワー 🙂"},
    };

    @TempDir
    Path workspace;
    private final List<String> expectedDocuments = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private final PipelineRunner runner = new PipelineRunner();

    @BeforeEach
    void writeWorkspace() throws IOException {
        Files.createDirectories(workspace.resolve("data/raw"));
        Files.createDirectories(workspace.resolve("pipelines"));
        Random random = new Random(5);
        List<String> jsonl = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int a = random.nextInt(100);
            int b = random.nextInt(100);
            String text = a + " + " + b + " = " + (a + b);
            jsonl.add("{\"id\": " + i + ", \"text\": \"" + text + "\"}");
            expectedDocuments.add(text);
            if (i == 1) {
                jsonl.add("{\"text\": 42}");
            }
            if (i == 5) {
                jsonl.add("this is not json");
            }
        }
        Files.write(workspace.resolve("data/raw/arithmetic.jsonl"), jsonl);

        String[] words = {"the", "router", "sends", "each", "token", "to", "two", "experts", "and", "a", "shared", "one"};
        List<String> prose = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String line = Stream.generate(() -> words[random.nextInt(words.length)]).limit(4 + random.nextInt(8))
                    .collect(Collectors.joining(" ")) + ".";
            prose.add(line);
            expectedDocuments.add(line);
            if (i % 50 == 0) {
                prose.add("   ");
            }
        }
        for (String[] c : PROSE_CASES) {
            prose.add(c[0]);
            expectedDocuments.add(c[1]);
        }
        Files.write(workspace.resolve("data/raw/prose.txt"), prose);
    }

    private Path pipeline(String onError) throws IOException {
        return pipeline(".jsonl", onError, ".txt");
    }

    private Path pipeline(String jsonlSuffix, String onError, String textSuffix) throws IOException {
        Path file = workspace.resolve("pipelines/sample.pipeline.json");
        Files.writeString(file, String.format(PIPELINE, jsonlSuffix, onError, textSuffix));
        return file;
    }

    @Test
    void shardsDecodeBackToTheNormalisedDocuments() throws IOException {
        PipelineResult result = runner.run(workspace, pipeline("skip"), listener, () -> false);

        assertThat(result.cached()).isFalse();
        assertThat(result.outputDir()).isEqualTo(workspace.resolve("data").resolve(result.digest()));
        assertThat(listener.started).containsExactly("arithmetic", "prose", "normalize", "bpe", "shards");
        TokenShards shards = TokenShards.open(result.outputDir());
        assertThat(shards.digest()).isEqualTo(result.digest());
        BpeTokenizer tokenizer = shards.tokenizer();
        assertThat(tokenizer.vocabSize()).isEqualTo(shards.vocabSize()).isLessThanOrEqualTo(512);
        List<String> decoded = new ArrayList<>();
        decoded.addAll(documents(shards.split("train"), tokenizer, shards.eotId()));
        decoded.addAll(documents(shards.split("val"), tokenizer, shards.eotId()));
        assertThat(shards.split("val").length()).isPositive();
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(expectedDocuments);
        assertThat(leftovers()).containsExactly(result.outputDir());
        assertThat(Files.exists(result.outputDir().resolve(PipelineRunner.STATS_FILE))).isTrue();
    }

    @Test
    void malformedLinesAreSkippedWithFileAndLine() throws IOException {
        PipelineResult result = runner.run(workspace, pipeline("skip"), listener, () -> false);

        StageStats arithmetic = result.stats().get(0);
        assertThat(arithmetic.nodeId()).isEqualTo("arithmetic");
        assertThat(arithmetic.dropped()).containsEntry("malformed", 2L);
        assertThat(arithmetic.in()).isEqualTo(402);
        assertThat(arithmetic.out()).isEqualTo(400);
        assertThat(listener.warnings).hasSize(2);
        assertThat(listener.warnings.get(0)).startsWith("data/raw/arithmetic.jsonl:3: ").contains("'text'");
        assertThat(listener.warnings.get(1)).startsWith("data/raw/arithmetic.jsonl:8: ").contains("invalid JSON");
        assertThat(result.stats().get(1).dropped()).containsEntry("blank line", 4L);
    }

    @Test
    void malformedLinesAreFatalWhenAskedAndLeaveNothingBehind() throws IOException {
        assertThatThrownBy(() -> runner.run(workspace, pipeline("fail"), listener, () -> false))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("data/raw/arithmetic.jsonl:3: ")
                .hasMessageContaining("onError");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anUnchangedRerunIsCachedAndRunsNoStage() throws IOException {
        Path file = pipeline("skip");
        PipelineResult first = runner.run(workspace, file, listener, () -> false);
        RecordingListener second = new RecordingListener();
        PipelineResult again = runner.run(workspace, file, second, () -> false);

        assertThat(again.cached()).isTrue();
        assertThat(second.started).isEmpty();
        assertThat(again.digest()).isEqualTo(first.digest());
        assertThat(again.stats()).isEqualTo(first.stats());

        Files.writeString(workspace.resolve("data/raw/prose.txt"), "one more line\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        PipelineResult changed = runner.run(workspace, file, second, () -> false);
        assertThat(changed.cached()).isFalse();
        assertThat(changed.digest()).isNotEqualTo(first.digest());
        assertThat(second.started).as("the unchanged reader is served from the node cache")
                .containsExactly("prose", "normalize", "bpe", "shards");
    }

    @Test
    void gzipInputsReadLikePlainOnes() throws IOException {
        gzip(workspace.resolve("data/raw/arithmetic.jsonl"));
        gzip(workspace.resolve("data/raw/prose.txt"));
        PipelineResult result = runner.run(workspace, pipeline(".jsonl.gz", "skip", ".txt.gz"), listener, () -> false);
        TokenShards shards = TokenShards.open(result.outputDir());
        List<String> decoded = new ArrayList<>(documents(shards.split("train"), shards.tokenizer(), shards.eotId()));
        decoded.addAll(documents(shards.split("val"), shards.tokenizer(), shards.eotId()));
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(expectedDocuments);
    }

    @Test
    void cancellingStopsTheRunAndLeavesNothingBehind() throws IOException {
        AtomicBoolean cancel = new AtomicBoolean();
        PipelineListener cancelAtBpe = new PipelineListener() {
            @Override
            public void onStageStart(String nodeId, String stageId, int index, int total) {
                cancel.set(nodeId.equals("bpe"));
            }
        };
        assertThatThrownBy(() -> runner.run(workspace, pipeline("skip"), cancelAtBpe, cancel::get))
                .isInstanceOf(CancellationException.class);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anInvalidPipelineReportsEveryProblem() throws IOException {
        Path file = workspace.resolve("pipelines/bad.pipeline.json");
        Files.writeString(file, String.format(PIPELINE, ".jsonl", "sometimes", ".txt")
                .replace("\"vocabSize\": 512", "\"vocabSize\": 10")
                .replace("data/raw/prose.txt", "data/raw/missing.txt"));
        assertThatThrownBy(() -> runner.run(workspace, file, listener, () -> false))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> assertThat(e.problems())
                        .extracting(Problem::path)
                        .containsExactlyInAnyOrder("nodes[0].params.onError", "nodes[1].params.path",
                                "nodes[3].params.vocabSize"));
        assertThat(listener.started).isEmpty();
    }

    /** Everything in data/ except the raw inputs and complete node cache entries: output or temp folders. */
    private List<Path> leftovers() throws IOException {
        List<Path> left;
        try (Stream<Path> entries = Files.list(workspace.resolve("data"))) {
            left = entries.filter(p -> !p.getFileName().toString().equals("raw"))
                    .filter(p -> !p.getFileName().toString().equals(NodeCache.DIR))
                    .collect(Collectors.toList());
        }
        Path nodes = workspace.resolve("data").resolve(NodeCache.DIR);
        if (Files.isDirectory(nodes)) {
            try (Stream<Path> entries = Files.list(nodes)) {
                entries.filter(p -> p.getFileName().toString().startsWith(".tmp")).forEach(left::add);
            }
        }
        return left;
    }

    private static List<String> documents(TokenSplit split, BpeTokenizer tokenizer, int eot) {
        int[] ids = new int[(int) split.length()];
        split.read(0, ids);
        List<String> docs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == eot) {
                docs.add(tokenizer.decode(ids, start, i));
                start = i + 1;
            }
        }
        assertThat(start).as("the split ends with an end-of-text token").isEqualTo(ids.length);
        return docs;
    }

    private static void gzip(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.resolveSibling(file.getFileName() + ".gz")))) {
            out.write(Files.readAllBytes(file));
        }
        Files.delete(file);
    }

    private static final class RecordingListener implements PipelineListener {
        final List<String> started = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void onStageStart(String nodeId, String stageId, int index, int total) {
            started.add(nodeId);
        }

        @Override
        public void onStageWarning(String nodeId, String message) {
            warnings.add(message);
        }
    }
}
