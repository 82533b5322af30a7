package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code r1wb pipeline run}: progress while it runs, the statistics table at the end, through the real CLI. */
class PipelineCommandTest {

    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @TempDir
    Path workspace;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void runShowsABarPerStageCountsAndTheStatisticsTable() throws IOException {
        Path file = writePipeline();

        assertThat(run("pipeline", "run", "-w", workspace.toString(), "--progress", "BAR", file.toString()))
                .as(err.toString()).isZero();

        String shown = out.toString();
        assertThat(shown).contains("\r  [").contains("ETA").contains("%");
        assertThat(shown).contains("[1/4] read (read.text) ...").contains("[4/4] exact (dedup.exact) ...");
        assertThat(shown).contains("read done: 20,000 in, 19,000 out");
        assertThat(shown).containsPattern("streamed read -> norm -> quality -> exact on \\d+ worker thread");
        List<String> table = tableOf(shown);
        assertThat(table.get(0)).contains("NODE").contains("STAGE").contains("IN").contains("OUT").contains("DROPPED");
        assertThat(table.get(1)).contains("read").contains("20,000").contains("19,000").contains("blank line=1000");
        assertThat(table.get(4)).contains("exact").contains("exact duplicate=");
    }

    @Test
    void offATerminalTheProgressHasNoCarriageReturnsAndARerunComesFromTheCache() throws IOException {
        Path file = writePipeline();
        assertThat(run("pipeline", "run", "-w", workspace.toString(), "--progress", "LINES", file.toString())).isZero();
        assertThat(out.toString()).doesNotContain("\r").contains("[2/4] norm (normalize) ...");

        out.getBuffer().setLength(0);
        assertThat(run("pipeline", "run", "-w", workspace.toString(), "--progress", "LINES", file.toString())).isZero();
        assertThat(out.toString()).contains("served from the cache").contains("exact duplicate=");
    }

    @Test
    void shardsThenMergeWriteTheFolderAPlainRunServes() throws IOException {
        Path file = writePipeline();
        String ws = workspace.toString();
        assertThat(run("pipeline", "run", "-w", ws, "--progress", "NONE", "--shard", "1/2", file.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("shard 1/2: wrote ").contains("--merge 2");

        assertThat(run("pipeline", "run", "-w", ws, "--progress", "NONE", "--merge", "2", file.toString()))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("1 of 2 shard outputs missing").contains("--shard 0/2");

        assertThat(run("pipeline", "run", "-w", ws, "--progress", "NONE", "--shard", "0/2", file.toString())).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("pipeline", "run", "-w", ws, "--progress", "NONE", "--shard", "0/2", file.toString())).isZero();
        assertThat(out.toString()).contains("shard 0/2: already done, nothing ran");

        out.getBuffer().setLength(0);
        assertThat(run("pipeline", "run", "-w", ws, "--progress", "NONE", "--merge", "2", file.toString()))
                .as(err.toString()).isZero();
        String merged = out.toString();
        assertThat(merged).contains("wrote ").contains("exact duplicate=");
        List<String> table = tableOf(merged);
        assertThat(table.get(1)).contains("read").contains("20,000").contains("19,000").contains("blank line=1000");

        out.getBuffer().setLength(0);
        assertThat(run("pipeline", "run", "-w", ws, "--progress", "NONE", file.toString())).isZero();
        String outputDir = merged.lines().filter(l -> l.startsWith("wrote ")).findFirst().orElseThrow().substring(6);
        assertThat(out.toString()).contains("served from the cache: " + outputDir);
    }

    @Test
    void shardFlagsAreCheckedBeforeAnythingRuns() throws IOException {
        Path file = writePipeline();
        String ws = workspace.toString();
        assertThat(run("pipeline", "run", "-w", ws, "--shard", "2/2", file.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("0 ≤ i < N");
        assertThat(run("pipeline", "run", "-w", ws, "--shard", "0/2", "--merge", "2", file.toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("two steps");
        assertThat(workspace.resolve("data")).doesNotExist();
    }

    /** The lines of the statistics table: its header, then one per stage. */
    private static List<String> tableOf(String shown) {
        List<String> lines = shown.lines().toList();
        int header = 0;
        while (!lines.get(header).contains("DROPPED")) {
            header++;
        }
        return lines.subList(header, lines.size());
    }

    /** 20,000 lines (every 20th blank, every 7th a repeat) and read → normalize → quality → exact dedup. */
    private Path writePipeline() throws IOException {
        Files.createDirectories(workspace.resolve("raw"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add(i % 20 == 0 ? "" : "document " + (i % 7 == 0 ? 7 : i) + " says the router balances its experts");
        }
        Files.write(workspace.resolve("raw/corpus.txt"), lines);
        Path file = workspace.resolve("p.pipeline.json");
        Files.writeString(file, """
                {"format": 1, "name": "cli", "nodes": [
                  {"id": "read", "stage": "read.text", "params": {"path": "raw/corpus.txt"}},
                  {"id": "norm", "stage": "normalize"},
                  {"id": "quality", "stage": "filter.quality", "params": {"minEntropy": 0, "maxTopNgramFraction": 1}},
                  {"id": "exact", "stage": "dedup.exact"}],
                 "edges": [{"from": "read", "to": "norm"}, {"from": "norm", "to": "quality"},
                           {"from": "quality", "to": "exact"}]}
                """);
        return file;
    }
}
