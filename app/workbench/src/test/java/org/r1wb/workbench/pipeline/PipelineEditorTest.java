package org.r1wb.workbench.pipeline;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.graph.GraphCanvas;
import org.r1wb.views.graph.GraphEdge;
import org.r1wb.views.graph.NodeDecoration;
import org.r1wb.views.graph.NodeSkin;
import org.r1wb.workbench.BackgroundTasks;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline editor driven through the mouse and keyboard like a user, on a real workspace. */
@ExtendWith(ApplicationExtension.class)
class PipelineEditorTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private PipelineEditor editor;
    private Path file;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        file = ws.resolve("pipelines/new.pipeline.json");
        Files.writeString(file, "{\"format\": 1, \"name\": \"new\", \"nodes\": [], \"edges\": []}\n");
        // three records: a good one, one that is not JSON, one that normalises to nothing
        Files.writeString(ws.resolve("data/raw/small.jsonl"), "{\"text\": \"Hello  world\"}\n{not json\n"
                + "{\"text\": \"  \\u0007 \"}\n{\"text\": \"Second\\u00a0doc\"}\n");
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.PIPELINE, "new", "new.pipeline.json", file));
        editor = (PipelineEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
    }

    @Test
    void buildEditUndoSaveReopenAndRun(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        GraphCanvas canvas = editor.canvas();

        dragStage(robot, "read.jsonl", canvas, 120, 80);
        dragStage(robot, "normalize", canvas, 480, 110);
        dragStage(robot, "shards.write", canvas, 480, 330);
        assertThat(editor.model().nodes()).extracting(n -> n.type())
                .containsExactly("read.jsonl", "normalize", "shards.write");
        PipelineSpec threeNodes = editor.spec();

        // documents into a port that takes tokenized documents: refused, with the reason
        connect(robot, canvas, "read-jsonl", "shards-write");
        assertThat(editor.model().edges()).isEmpty();
        assertThat(canvas.refusalProperty().get())
                .contains("gives DOCUMENTS").contains("takes TOKENIZED_DOCUMENTS");

        connect(robot, canvas, "read-jsonl", "normalize");
        assertThat(editor.model().edges()).containsExactly(new GraphEdge("read-jsonl", "main", "normalize", "main"));

        // the node without its required path is marked, with the validator's words
        Screens.waitFor(5, () -> !canvas.decoration("read-jsonl").problems().isEmpty());
        assertThat(canvas.decoration("read-jsonl").problems()).anyMatch(p -> p.contains("'path'"));

        // parameters in the property sheet: type the path, pick "skip"
        robot.clickOn(skin(canvas, "read-jsonl"));
        Screens.waitFor(5, () -> editor.params().editor("path").isPresent());
        robot.clickOn(editor.params().editor("path").orElseThrow().getEditor()).write("data/raw/small.jsonl")
                .type(javafx.scene.input.KeyCode.TAB);
        robot.interact(() -> setEditorValue("onError", "skip"));
        try {
            Screens.waitFor(5, () -> canvas.decoration("read-jsonl").problems().isEmpty());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(canvas.decoration("read-jsonl").problems() + " / " + editor.spec(), e);
        }
        assertThat(editor.spec().nodes().get(0).params().get("path").asText()).isEqualTo("data/raw/small.jsonl");
        assertThat(editor.spec().nodes().get(0).params().get("onError").asText()).isEqualTo("skip");

        robot.interact(() -> editor.commands().run(org.r1wb.views.graph.GraphCommands.remove(
                editor.model(), List.of("shards-write"))));
        PipelineSpec built = editor.spec();

        // undo back to three unconnected nodes, then redo to the built graph: exactly the same graphs
        robot.interact(() -> {
            while (!editor.spec().equals(threeNodes) && editor.commands().undo()) {
                continue;
            }
        });
        assertThat(editor.spec()).isEqualTo(threeNodes);
        robot.interact(() -> {
            while (editor.commands().redo()) {
                continue;
            }
        });
        assertThat(editor.spec()).isEqualTo(built);
        assertThat(editor.spec().nodes()).hasSize(2);

        robot.interact(() -> {
            try {
                editor.save();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(PipelineSpec.read(file)).isEqualTo(built);
        AtomicReference<PipelineEditor> reopened = new AtomicReference<>();
        robot.interact(() -> reopened.set(new PipelineEditor(file, ws, StageRegistry.builtIn(), new BackgroundTasks())));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(reopened.get().spec()).isEqualTo(built);
        assertThat(reopened.get().model().node("normalize").orElseThrow().x())
                .isEqualTo(editor.model().node("normalize").orElseThrow().x());

        // run: every node ends with its statistics, and the preview shows the dropped record with its reason
        robot.interact(() -> editor.run().orElseThrow());
        Screens.waitFor(30, () -> !editor.runningProperty().get());
        StageStats read = editor.lastStats().get("read-jsonl");
        StageStats normalize = editor.lastStats().get("normalize");
        assertThat(read.in()).isEqualTo(4);
        assertThat(read.out()).isEqualTo(3);
        assertThat(read.dropped()).containsEntry("malformed", 1L);
        assertThat(normalize.out()).isEqualTo(2);
        assertThat(normalize.dropped()).containsEntry("empty after normalisation", 1L);
        for (String id : List.of("read-jsonl", "normalize")) {
            NodeDecoration d = canvas.decoration(id);
            assertThat(d.state()).isEqualTo(NodeDecoration.RunState.DONE);
            assertThat(skin(canvas, id).badgeText()).isEqualTo(PipelineEditor.badge(editor.lastStats().get(id)));
        }
        assertThat(editor.lastDropped()).singleElement().satisfies(doc -> {
            assertThat(doc.location()).isEqualTo("data/raw/small.jsonl:2");
            assertThat(doc.reason()).contains("invalid JSON");
            assertThat(doc.text()).isEqualTo("{not json");
        });
        robot.clickOn(skin(canvas, "read-jsonl"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.preview().getText()).contains("data/raw/small.jsonl:2").contains("{not json")
                .contains("dropped 1: malformed");
    }

    private void setEditorValue(String param, Object value) {
        @SuppressWarnings("unchecked")
        org.controlsfx.property.editor.PropertyEditor<Object> e =
                (org.controlsfx.property.editor.PropertyEditor<Object>) editor.params().editor(param).orElseThrow();
        e.setValue(value);
    }

    private void dragStage(FxRobot robot, String stageId, GraphCanvas canvas, double x, double y) {
        Node cell = robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof org.r1wb.pipeline.stage.Stage s
                && s.id().equals(stageId)).query();
        Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
        robot.drag(cell, MouseButton.PRIMARY).moveTo(new Point2D(b.getMinX() + x, b.getMinY() + y))
                .release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void connect(FxRobot robot, GraphCanvas canvas, String from, String to) {
        robot.drag(skin(canvas, from).outputPort("main"), MouseButton.PRIMARY)
                .dropTo(skin(canvas, to).inputPort("main"));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static NodeSkin skin(GraphCanvas canvas, String id) {
        return canvas.skin(id).orElseThrow(() -> new AssertionError("no skin for " + id));
    }
}
