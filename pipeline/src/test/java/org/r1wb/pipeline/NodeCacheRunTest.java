package org.r1wb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.cache.NodeCache;
import org.r1wb.pipeline.stage.StageStats;

/** The per-node cache: what reruns after a change, and a cancelled run resumed to the same output. */
class NodeCacheRunTest {

    private static final String PIPELINE = """
            {"format": 1, "name": "clean",
             "nodes": [
               {"id": "read", "stage": "read.text", "params": {"path": "raw/corpus.txt"}},
               {"id": "pii", "stage": "clean.pii"},
               {"id": "quality", "stage": "filter.quality", "params": {"minChars": %d}},
               {"id": "exact", "stage": "dedup.exact"},
               {"id": "near", "stage": "dedup.minhash", "params": {"shingleSize": 3}},
               {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 400}},
               {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.1}}
             ],
             "edges": [{"from": "read", "to": "pii"}, {"from": "pii", "to": "quality"}, {"from": "quality", "to": "exact"},
                       {"from": "exact", "to": "near"}, {"from": "near", "to": "bpe"}, {"from": "bpe", "to": "shards"}]}
            """;

    @TempDir
    Path workspace;
    @TempDir
    Path reference;

    @Test
    void changingAFilterParameterRerunsOnlyItAndWhatIsDownstream() throws IOException {
        Path file = write(workspace, 10);
        Counting first = new Counting();
        PipelineResult initial = new PipelineRunner().run(workspace, file, first, () -> false);
        assertThat(first.started).containsExactly("read", "pii", "quality", "exact", "near", "bpe", "shards");

        Counting unchanged = new Counting();
        PipelineResult again = new PipelineRunner().run(workspace, file, unchanged, () -> false);
        assertThat(again.cached()).isTrue();
        assertThat(unchanged.started).isEmpty();
        assertThat(unchanged.cached).isEmpty();

        write(workspace, 25);
        Counting changed = new Counting();
        PipelineResult result = new PipelineRunner().run(workspace, file, changed, () -> false);
        assertThat(changed.cached).containsExactly("read", "pii");
        assertThat(changed.started).containsExactly("quality", "exact", "near", "bpe", "shards");
        assertThat(result.digest()).isNotEqualTo(initial.digest());
        StageStats quality = result.stats().get(2);
        assertThat(quality.dropped().get("too short")).isGreaterThan(initial.stats().get(2).dropped().getOrDefault("too short", 0L));

        PipelineResult fresh = new PipelineRunner().run(reference, write(reference, 25), PipelineListener.NONE, () -> false);
        assertThat(result.digest()).isEqualTo(fresh.digest());
        assertThat(contentDigest(result.outputDir())).isEqualTo(contentDigest(fresh.outputDir()));
    }

    @Test
    void aRunCancelledMidwayResumesToTheSameOutput() throws IOException {
        Path file = write(workspace, 10);
        AtomicBoolean cancel = new AtomicBoolean();
        // read → near stream as one chain and finish together; the run stops when the tokenizer starts.
        PipelineListener stopAtBpe = new PipelineListener() {
            @Override
            public void onStageStart(String nodeId, String stageId, int index, int total) {
                cancel.set(nodeId.equals("bpe"));
            }
        };
        assertThatThrownBy(() -> new PipelineRunner().run(workspace, file, stopAtBpe, cancel::get))
                .isInstanceOf(CancellationException.class);
        // What a killed process leaves: a half-written node folder, and an entry that lost its completion marker.
        Path nodes = workspace.resolve("data").resolve(NodeCache.DIR);
        Files.createDirectories(nodes.resolve(".tmp-deadbeef0000-1/files"));
        Files.writeString(nodes.resolve(".tmp-deadbeef0000-1/files/train.bin"), "garbage");
        PipelineDigest digests = PipelineDigest.compute(
                org.r1wb.pipeline.spec.PipelineSpec.read(file), org.r1wb.pipeline.stage.StageRegistry.builtIn(), workspace);
        Files.delete(nodes.resolve(digests.nodes().get("exact")).resolve("entry.json"));

        Counting resumed = new Counting();
        PipelineResult result = new PipelineRunner().run(workspace, file, resumed, () -> false);
        assertThat(resumed.cached).containsExactly("read", "pii", "quality", "near");
        assertThat(resumed.started).containsExactly("exact", "bpe", "shards");

        PipelineResult uninterrupted = new PipelineRunner().run(reference, write(reference, 10), PipelineListener.NONE,
                () -> false);
        assertThat(result.digest()).isEqualTo(uninterrupted.digest());
        assertThat(contentDigest(result.outputDir())).isEqualTo(contentDigest(uninterrupted.outputDir()));
    }

    /** Writes the corpus (same in every workspace) and the pipeline with the given minChars. */
    private static Path write(Path ws, int minChars) throws IOException {
        Files.createDirectories(ws.resolve("raw"));
        Files.createDirectories(ws.resolve("pipelines"));
        Random random = new Random(11);
        String[] words = {"the", "router", "sends", "each", "token", "to", "two", "experts", "while", "a", "shared",
            "expert", "sees", "all", "of", "them", "and", "load", "stays", "balanced"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            StringBuilder line = new StringBuilder();
            int n = 2 + random.nextInt(20);
            for (int w = 0; w < n; w++) {
                line.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            if (i % 37 == 0) {
                line.append(" mail me at user").append(i).append("@example.com");
            }
            lines.add(line.toString());
            if (i % 10 == 0) {
                lines.add(line.toString());
            }
        }
        Files.write(ws.resolve("raw/corpus.txt"), lines);
        Path file = ws.resolve("pipelines/clean.pipeline.json");
        Files.writeString(file, String.format(PIPELINE, minChars));
        return file;
    }

    /** SHA-256 over the token shards and the tokenizer of an output folder. */
    private static String contentDigest(Path dir) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : new String[] {"train.bin", "val.bin", "tokenizer.json"}) {
                sha.update(Files.readAllBytes(dir.resolve(name)));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Counting implements PipelineListener {
        final List<String> started = new ArrayList<>();
        final List<String> cached = new ArrayList<>();

        @Override
        public void onStageStart(String nodeId, String stageId, int index, int total) {
            started.add(nodeId);
        }

        @Override
        public void onStageCached(StageStats stats, int index, int total) {
            cached.add(stats.nodeId());
        }
    }
}
