package org.r1wb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagePreviewTest {

    @TempDir
    Path workspace;

    @Test
    void showsTheFirstDocumentsBeforeAndAfterWithTheReasonForEachDrop() throws IOException {
        Files.createDirectories(workspace.resolve("raw"));
        Files.write(workspace.resolve("raw/in.txt"), List.of(
                "write to ops@example.com about the router",
                "ok",
                "the experts share the load and the router balances it well",
                "the experts share the load and the router balances it well",
                "################ ##### ### a b",
                "a final line that is long enough to keep"));
        Path file = workspace.resolve("p.pipeline.json");
        Files.writeString(file, """
                {"format": 1, "name": "preview", "nodes": [
                  {"id": "read", "stage": "read.text", "params": {"path": "raw/in.txt"}},
                  {"id": "pii", "stage": "clean.pii"},
                  {"id": "quality", "stage": "filter.quality", "params": {"minChars": 10, "minEntropy": 0}},
                  {"id": "exact", "stage": "dedup.exact"}],
                 "edges": [{"from": "read", "to": "pii"}, {"from": "pii", "to": "quality"}, {"from": "quality", "to": "exact"}]}
                """);
        PipelineRunner runner = new PipelineRunner();

        StagePreview quality = runner.preview(workspace, file, "quality", 5, PipelineListener.NONE, () -> false);
        assertThat(quality.rows()).extracting(r -> r.before().text(), StagePreview.Row::dropReason).containsExactly(
                tuple("write to <EMAIL> about the router", null),
                tuple("ok", "too short"),
                tuple("the experts share the load and the router balances it well", null),
                tuple("the experts share the load and the router balances it well", null),
                tuple("################ ##### ### a b", "symbol/word ratio"));
        assertThat(quality.stats().dropped()).containsEntry("too short", 1L).containsEntry("symbol/word ratio", 1L);

        StagePreview exact = runner.preview(workspace, file, "exact", 10, PipelineListener.NONE, () -> false);
        assertThat(exact.rows()).hasSize(4);
        assertThat(exact.rows().get(2).dropReason()).isEqualTo("exact duplicate");
        assertThat(exact.rows().get(1).dropped()).isFalse();

        StagePreview pii = runner.preview(workspace, file, "pii", 2, PipelineListener.NONE, () -> false);
        assertThat(pii.rows().get(0).changed()).isTrue();
        assertThat(pii.rows().get(0).after().text()).isEqualTo("write to <EMAIL> about the router");
        assertThat(pii.rows().get(1).changed()).isFalse();
        assertThat(pii.stats().counts()).containsEntry("email", 1L);
    }
}
