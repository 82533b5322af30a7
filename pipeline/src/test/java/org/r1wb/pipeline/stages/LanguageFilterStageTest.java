package org.r1wb.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.StagePreview;
import org.r1wb.pipeline.spec.PipelineValidator;
import org.r1wb.pipeline.stage.StageRegistry;

/** {@code filter.language}: which documents it keeps, the reason for each drop, and bad language codes. */
class LanguageFilterStageTest {

    @TempDir
    Path workspace;

    @Test
    void keepsTheListedLanguagesAndNamesTheOthers() throws IOException {
        Files.createDirectories(workspace.resolve("raw"));
        Files.write(workspace.resolve("raw/in.txt"), List.of(
                "The weather was cold this morning, so we stayed inside and read the newspaper together.",
                "Heute Morgen war es sehr kalt, deshalb sind wir zu Hause geblieben und haben Zeitung gelesen.",
                "Ce matin il faisait très froid, alors nous sommes restés à la maison pour lire le journal.",
                "Esta mañana hacía mucho frío, así que nos quedamos en casa leyendo el periódico juntos.",
                "今天早上天气很冷，所以我们留在家里一起看报纸，然后喝了很多热茶。",
                "Сегодня утром было очень холодно, поэтому мы остались дома и вместе читали газету.",
                "3.14159 2718 +- 42 %% ## 1999-12-31"));
        Path file = workspace.resolve("lang.pipeline.json");
        Files.writeString(file, """
                {"format": 1, "name": "lang", "nodes": [
                  {"id": "read", "stage": "read.text", "params": {"path": "raw/in.txt"}},
                  {"id": "lang", "stage": "filter.language", "params": {"languages": ["en", "de"]}}],
                 "edges": [{"from": "read", "to": "lang"}]}
                """);

        StagePreview preview = new PipelineRunner().preview(workspace, file, "lang", 10, PipelineListener.NONE,
                () -> false);

        assertThat(preview.rows()).extracting(StagePreview.Row::dropped, StagePreview.Row::dropReason).containsExactly(
                tuple(false, null), tuple(false, null), tuple(true, "language fr"), tuple(true, "language es"),
                tuple(true, "language zh"), tuple(true, "language ru"), tuple(true, "language uncertain"));
        assertThat(preview.stats().in()).isEqualTo(7);
        assertThat(preview.stats().out()).isEqualTo(2);
    }

    @Test
    void anUnknownLanguageCodeIsReportedWithItsPath() throws IOException {
        Files.createDirectories(workspace.resolve("raw"));
        Files.writeString(workspace.resolve("raw/in.txt"), "text\n");
        Path file = workspace.resolve("bad.pipeline.json");
        Files.writeString(file, """
                {"format": 1, "name": "bad", "nodes": [
                  {"id": "read", "stage": "read.text", "params": {"path": "raw/in.txt"}},
                  {"id": "lang", "stage": "filter.language", "params": {"languages": ["en", "english"]}}],
                 "edges": [{"from": "read", "to": "lang"}]}
                """);

        List<Problem> problems = new PipelineValidator(StageRegistry.builtIn()).validateFile(file, workspace);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).path()).endsWith("params.languages[1]");
        assertThat(problems.get(0).message()).contains("english");
    }
}
