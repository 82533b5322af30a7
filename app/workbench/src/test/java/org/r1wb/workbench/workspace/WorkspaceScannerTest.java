package org.r1wb.workbench.workspace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceScannerTest {

    @TempDir
    Path ws;

    @Test
    void listsPipelinesModelsRunsAndEvals() throws IOException {
        SampleWorkspace.create(ws);
        Files.createDirectories(ws.resolve("runs/b-run"));
        Files.createDirectories(ws.resolve("runs/a-run"));
        Files.writeString(ws.resolve("runs/not-a-run.txt"), "x");
        Files.writeString(ws.resolve("models/readme.txt"), "not a model");

        WorkspaceItem root = WorkspaceScanner.scan(ws);

        assertThat(root.kind()).isEqualTo(ItemKind.WORKSPACE);
        assertThat(root.children()).extracting(WorkspaceItem::label)
                .containsExactly("Pipelines", "Models", "Runs", "Evals");
        WorkspaceItem pipelines = root.children().get(0);
        assertThat(pipelines.children()).singleElement().satisfies(item -> {
            assertThat(item.kind()).isEqualTo(ItemKind.PIPELINE);
            assertThat(item.label()).isEqualTo("sample");
            assertThat(item.detail()).isEqualTo("sample.pipeline.json");
            assertThat(item.path()).isEqualTo(ws.resolve(SampleWorkspace.PIPELINE));
        });
        assertThat(root.children().get(1).children()).extracting(WorkspaceItem::detail)
                .containsExactly("sample.model.json");
        assertThat(root.children().get(2).children()).extracting(WorkspaceItem::label)
                .containsExactly("a-run", "b-run");
        assertThat(root.children().get(2).detail()).isEqualTo("2");
        // the stored results first, then the sample workspace's eval files, as written, sorted by name
        WorkspaceItem evalGroup = root.children().get(3);
        assertThat(evalGroup.children().get(0)).satisfies(item -> {
            assertThat(item.kind()).isEqualTo(ItemKind.EVALUATIONS);
            assertThat(item.path()).isEqualTo(ws.resolve("r1wb.db"));
        });
        try (var evals = java.nio.file.Files.list(ws.resolve("evals"))) {
            List<String> files = evals.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(evalGroup.children().subList(1, evalGroup.children().size())).extracting(WorkspaceItem::label)
                    .containsExactlyElementsOf(files)
                    .contains("arithmetic-heldout.jsonl");
            assertThat(evalGroup.detail()).isEqualTo(Integer.toString(files.size()));
        }
    }

    @Test
    void missingFolderIsAClearError() {
        Path missing = ws.resolve("nope");
        assertThatThrownBy(() -> WorkspaceScanner.scan(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void emptyFolderHasEmptyGroups() throws IOException {
        WorkspaceItem root = WorkspaceScanner.scan(ws);
        assertThat(root.children()).allMatch(group -> group.children().stream()
                .allMatch(item -> item.kind() == ItemKind.EVALUATIONS));
        assertThat(root.children()).extracting(WorkspaceItem::detail).containsOnly("0");
    }
}
