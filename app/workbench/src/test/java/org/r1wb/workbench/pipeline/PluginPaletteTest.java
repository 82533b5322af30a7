package org.r1wb.workbench.pipeline;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.PluginFolders;
import org.r1wb.pipeline.stage.StageStats;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.graph.NodeDecoration;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.plugin.PluginStage;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example plugin dropped in the workspace's {@code plugins/}: its stage is listed by the agent in a child
 * process, shows in the palette and the property sheet like a built-in, and a pipeline using it runs in the agent.
 */
@ExtendWith(ApplicationExtension.class)
class PluginPaletteTest {

    /** Where the build copies the example plugin jar (see this module's pom). */
    private static final Path EXAMPLE_JAR = Path.of("target/test-plugins/r1wb-example-plugins.jar");

    @TempDir
    Path root;

    private final String userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);
    private PipelineEditor editor;

    @Start
    void start(Stage stage) throws IOException {
        System.setProperty(PluginFolders.USER_PROPERTY, Files.createDirectories(root.resolve("user")).toString());
        Path ws = root.resolve("ws");
        SampleWorkspace.create(ws);
        Files.copy(EXAMPLE_JAR, Files.createDirectories(ws.resolve(PluginFolders.WORKSPACE_DIR))
                .resolve("r1wb-example-plugins.jar"));
        Files.writeString(ws.resolve("data/raw/four.jsonl"), "{\"text\": \"lorem ipsum dolor\"}\n"
                + "{\"text\": \"plain words\"}\n{\"text\": \"more LOREM IPSUM\"}\n{\"text\": \"the end\"}\n");
        Path file = ws.resolve("pipelines/regex.pipeline.json");
        Files.writeString(file, """
                {"format": 1, "name": "regex", "nodes": [
                  {"id": "read", "stage": "read.jsonl", "params": {"path": "data/raw/four.jsonl"}},
                  {"id": "regex", "stage": "filter.regex", "params": {"pattern": "lorem ipsum", "ignoreCase": true}}
                ], "edges": [{"from": "read", "to": "regex"}]}
                """);
        WorkbenchWindow window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.PIPELINE, "regex", "regex.pipeline.json", file));
        editor = (PipelineEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
    }

    @AfterEach
    void restoreUserFolder() {
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void examplePluginStageIsInThePaletteWithItsParametersAndRunsInTheAgent(FxRobot robot) throws Exception {
        Screens.waitFor(60, () -> editor.palette().getItems().stream().anyMatch(s -> s.id().equals("filter.regex")));
        org.r1wb.pipeline.stage.Stage regex = editor.palette().getItems().stream()
                .filter(s -> s.id().equals("filter.regex")).findFirst().orElseThrow();
        assertThat(regex).isInstanceOfSatisfying(PluginStage.class,
                p -> assertThat(p.plugin()).isEqualTo("r1wb-examples"));

        // in the palette, marked with the plugin's name
        robot.interact(() -> editor.searchField().setText("regex"));
        WaitForAsyncUtils.waitForFxEvents();
        Node cell = robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() == regex).query();
        assertThat(robot.from(cell).lookup((Predicate<Node>) n -> n instanceof Label l && "plugin r1wb-examples".equals(l.getText()))
                .tryQuery()).isPresent();

        // the node from the file got the stage's ports, and its parameters are in the sheet
        Screens.waitFor(10, () -> editor.model().node("regex").map(n -> !n.inputs().isEmpty()).orElse(false));
        assertThat(editor.model().edges()).hasSize(1);
        Screens.waitFor(10, () -> editor.problems().isEmpty());
        robot.clickOn(editor.canvas().skin("regex").orElseThrow());
        Screens.waitFor(5, () -> editor.params().editor("pattern").isPresent());
        assertThat(editor.params().editor("mode")).isPresent();
        assertThat(editor.params().editor("ignoreCase")).isPresent();

        // run: in the agent, not here; the badges show the agent's statistics
        robot.interact(() -> editor.run().orElseThrow());
        Screens.waitFor(120, () -> !editor.runningProperty().get());
        StageStats stats = editor.lastStats().get("regex");
        assertThat(stats).as("the run's statistics").isNotNull();
        assertThat(stats.in()).isEqualTo(4);
        assertThat(stats.out()).isEqualTo(2);
        assertThat(editor.canvas().decoration("regex").state()).isEqualTo(NodeDecoration.RunState.DONE);
        assertThat(editor.canvas().skin("regex").orElseThrow().badgeText()).isEqualTo(PipelineEditor.badge(stats));
    }
}
