package org.r1wb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;

/** Sharded runs: N shard tasks plus a merge write exactly what a single-process run writes. */
class ShardedRunTest {

    /**
     * Two readers into one normaliser (two segments), a filter after a deduplicator, a third reader with its own
     * deduplicator, and mixing, tokenizer training and shards in the merge.
     */
    private static final String PIPELINE = """
            {"format": 1, "name": "sharded",
             "nodes": [
               {"id": "readA", "stage": "read.text", "params": {"path": "raw/a.txt"}},
               {"id": "readB", "stage": "read.text", "params": {"path": "raw/b.txt"}},
               {"id": "readC", "stage": "read.text", "params": {"path": "raw/c.txt"}},
               {"id": "normalize", "stage": "normalize"},
               {"id": "pii", "stage": "clean.pii"},
               {"id": "exact", "stage": "dedup.exact"},
               {"id": "quality", "stage": "filter.quality", "params": {"minChars": 20, "minEntropy": 2}},
               {"id": "near", "stage": "dedup.minhash", "params": {"shingleSize": 3}},
               {"id": "exactC", "stage": "dedup.exact"},
               {"id": "mix", "stage": "mix", "params": {"validationFraction": 0.1}},
               {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 400}},
               {"id": "shards", "stage": "shards.write"}
             ],
             "edges": [{"from": "readA", "to": "normalize"}, {"from": "readB", "to": "normalize"},
                       {"from": "normalize", "to": "pii"}, {"from": "pii", "to": "exact"},
                       {"from": "exact", "to": "quality"}, {"from": "quality", "to": "near"},
                       {"from": "readC", "to": "exactC"},
                       {"from": "near", "to": "mix"}, {"from": "exactC", "to": "mix"},
                       {"from": "mix", "to": "bpe"}, {"from": "bpe", "to": "shards"}]}
            """;
    private static final int SHARDS = 3;

    @TempDir
    Path single;
    @TempDir
    Path sharded;

    private final PipelineRunner runner = new PipelineRunner(StageRegistry.builtIn());

    @Test
    void shardTasksInAnyOrderPlusMergeWriteWhatASingleProcessRunWrites() throws Exception {
        PipelineResult reference = runner.run(single, write(single), PipelineListener.NONE, () -> false);
        Path file = write(sharded);

        ExecutorService tasks = Executors.newFixedThreadPool(SHARDS);
        try {
            List<Future<ShardResult>> results = new ArrayList<>();
            for (int i : new int[] {2, 0, 1}) {
                results.add(tasks.submit(() -> runner.runShard(sharded, file, new ShardSlice(i, SHARDS),
                        PipelineListener.NONE, () -> false)));
            }
            for (Future<ShardResult> result : results) {
                assertThat(result.get().cached()).isFalse();
            }
        } finally {
            tasks.shutdown();
        }
        PipelineResult merged = runner.runMerge(sharded, file, SHARDS, PipelineListener.NONE, () -> false);

        assertThat(merged.digest()).isEqualTo(reference.digest());
        assertThat(merged.cached()).isFalse();
        assertThat(withoutTimes(merged.stats())).isEqualTo(withoutTimes(reference.stats()));
        assertThat(dropped(reference, "exact")).containsKey("exact duplicate");
        assertThat(dropped(reference, "exactC")).containsKey("exact duplicate");
        assertThat(dropped(reference, "near")).containsKey("near duplicate");
        assertThat(runFolder(merged)).isEqualTo(runFolder(reference));
    }

    @Test
    void mergingWithAShardMissingNamesItAndRunsNothing() throws IOException {
        Path file = write(sharded);
        runner.runShard(sharded, file, new ShardSlice(0, SHARDS), PipelineListener.NONE, () -> false);
        runner.runShard(sharded, file, new ShardSlice(2, SHARDS), PipelineListener.NONE, () -> false);

        assertThatThrownBy(() -> runner.runMerge(sharded, file, SHARDS, PipelineListener.NONE, () -> false))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("1 of 3 shard outputs missing")
                .hasMessageContaining("[1/3]")
                .hasMessageContaining("--shard 1/3");
        try (Stream<Path> data = Files.list(sharded.resolve(PipelineRunner.DATA_DIR))) {
            assertThat(data.map(p -> p.getFileName().toString())).containsExactly(ShardPlan.DIR);
        }
    }

    @Test
    void rerunningAFinishedShardDoesNoWork() throws IOException {
        Path file = write(sharded);
        StageStarts first = new StageStarts();
        ShardResult done = runner.runShard(sharded, file, new ShardSlice(1, SHARDS), first, () -> false);
        StageStarts again = new StageStarts();
        ShardResult rerun = runner.runShard(sharded, file, new ShardSlice(1, SHARDS), again, () -> false);

        assertThat(done.cached()).isFalse();
        // the readers and per-document stages run in the task; mix onwards wait for the merge
        assertThat(first.nodes).containsExactlyInAnyOrder("readA", "readB", "readC", "normalize", "pii", "exact", "quality",
                "near", "exactC");
        assertThat(rerun.cached()).isTrue();
        assertThat(rerun.shardDir()).isEqualTo(done.shardDir());
        assertThat(again.nodes).isEmpty();
    }

    @Test
    void sliceTextIsCheckedWithAFix() {
        assertThat(ShardSlice.parse("2/8")).isEqualTo(new ShardSlice(2, 8));
        assertThat(new ShardSlice(2, 3).holds(5)).isTrue();
        assertThat(new ShardSlice(2, 3).holds(6)).isFalse();
        assertThatThrownBy(() -> ShardSlice.parse("3/3")).hasMessageContaining("0 ≤ i < N");
        assertThatThrownBy(() -> ShardSlice.parse("three")).hasMessageContaining("write i/N");
    }

    private static final class StageStarts implements PipelineListener {
        final List<String> nodes = new ArrayList<>();

        @Override
        public void onStageStart(String nodeId, String stageId, int index, int total) {
            nodes.add(nodeId);
        }
    }

    private static Map<String, Long> dropped(PipelineResult result, String node) {
        return result.stats().stream().filter(s -> s.nodeId().equals(node)).findFirst().orElseThrow().dropped();
    }

    private static List<StageStats> withoutTimes(List<StageStats> stats) {
        return stats.stream().map(s -> new StageStats(s.nodeId(), s.stageId(), s.in(), s.out(), s.dropped(),
                s.counts(), s.warnings(), 0)).toList();
    }

    /**
     * Every file of the run folder by name: SHA-256 of the bytes, or for JSON files the content with wall times
     * ({@code millis}) taken out, since those differ between any two runs.
     */
    private static Map<String, String> runFolder(PipelineResult result) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(result.outputDir())) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = result.outputDir().relativize(p).toString();
                if (name.endsWith(".json")) {
                    JsonNode json = Json.mapper().readTree(p.toFile());
                    files.put(name, withoutMillis(json).toString());
                } else {
                    files.put(name, sha256(Files.readAllBytes(p)));
                }
            }
        }
        assertThat(files.keySet()).anyMatch(n -> n.endsWith(".bin")).contains("index.json", "tokenizer.json");
        return files;
    }

    private static JsonNode withoutMillis(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("millis");
        }
        node.forEach(ShardedRunTest::withoutMillis);
        return node;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the pipeline and three inputs: lines of English and mixed-script text, with exact duplicates planted
     * one to four lines apart (so in other shards, earlier or later ones), across files (a.txt into b.txt), near
     * duplicates (one word changed) far apart, e-mail addresses and short lines.
     */
    private static Path write(Path ws) throws IOException {
        Files.createDirectories(ws.resolve("raw"));
        List<String> mixed = TestCorpus.documents(11, 150_000);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        List<String> c = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String line = i % 3 == 0
                    ? "the router sends token " + i + " to two experts while a shared expert sees it once"
                    : mixed.get(i).replace('\n', ' ');
            if (i % 29 == 0) {
                line += " mail user" + i + "@example.com";
            }
            a.add(i % 47 == 0 ? "short" : line);
            if (i % 7 == 0) {
                a.add(line);
            }
            if (i % 11 == 0) {
                a.add(Math.max(0, a.size() - 3), line);
            }
            if (i % 17 == 0) {
                b.add(line);
            }
            if (i % 13 == 0) {
                b.add("a long sentence about mixture of experts routing number " + i
                        + " with many shared words so that shingles overlap a great deal");
                a.add("a long sentence about mixture of experts routing number " + i
                        + " with many shared words so that shingles overlap a good deal");
            }
            b.add(mixed.get(300 + i).replace('\n', ' '));
            c.add(i % 5 == 0 ? mixed.get(600) : mixed.get(600 + i).replace('\n', ' '));
        }
        Files.write(ws.resolve("raw/a.txt"), a);
        Files.write(ws.resolve("raw/b.txt"), b);
        Files.write(ws.resolve("raw/c.txt"), c);
        Path file = ws.resolve("p.pipeline.json");
        Files.writeString(file, PIPELINE);
        return file;
    }
}
