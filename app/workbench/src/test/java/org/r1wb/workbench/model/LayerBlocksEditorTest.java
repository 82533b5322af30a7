package org.r1wb.workbench.model;

import javafx.scene.control.MenuItem;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecValidator;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Layers that differ, edited in the model editor on the sample model (4 layers, H 4, MHA, the first layer dense):
 * blocks from the palette and the context menu, a layer dragged to a new position, the saved file, the tiles and undo
 * back to the original file. {@link LayerBlocksTest} covers the edits themselves without a window.
 */
@ExtendWith(ApplicationExtension.class)
class LayerBlocksEditorTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private ModelEditor editor;
    private ModelSpec original;
    private String originalText;
    private Path file;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        file = ws.resolve(SampleWorkspace.MODEL);
        originalText = Files.readString(file);
        original = ModelSpecs.load(file);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.MODEL, "sample", "sample.model.json", file));
        editor = (ModelEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
    }

    @Test
    void layersGetTheirOwnBlocksMoveByDragSaveAndUndoToTheOriginalFile(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(original.layerKinds()).isNull();
        assertThat(original.kvHeads()).isEqualTo(original.heads()).isEqualTo(4);
        List<LayerKind> kinds = List.of(LayerKind.dense(4), LayerKind.moe(4), LayerKind.moe(4), LayerKind.moe(4));
        assertThat(LayerBlocks.kinds(original)).isEqualTo(kinds);
        assertThat(editor.layers().layerChip(2).getText()).isEqualTo("2 M");

        // layer 2 dense from its context menu: a dense layer after a MoE one, so the spec now lists its layers
        robot.rightClickOn(editor.layers().layerChip(2));
        WaitForAsyncUtils.waitForFxEvents();
        MenuItem dense = editor.layers().layerChip(2).getContextMenu().getItems().get(0);
        assertThat(dense.getText()).isEqualTo("Dense SwiGLU FFN");
        robot.interact(() -> {
            editor.layers().layerChip(2).getContextMenu().hide();
            dense.fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.layers().layerChip(2).getText()).isEqualTo("2 D");
        assertThat(editor.spec().layerKinds()).containsExactly(LayerKind.dense(4), LayerKind.moe(4),
                LayerKind.dense(4), LayerKind.moe(4));

        // GQA with 2 kv heads dragged from the palette onto layer 0
        robot.drag(editor.layers().paletteBlock("GQA (2 kv heads)"), MouseButton.PRIMARY)
                .dropTo(editor.layers().layerChip(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.layers().layerChip(0).getText()).isEqualTo("0 D · GQA2");
        assertThat(editor.spec().layerKinds()).containsExactly(LayerKind.dense(2), LayerKind.moe(4),
                LayerKind.dense(4), LayerKind.moe(4));

        // layer 3 dragged to position 1: layers 1 and 2 shift down by one
        robot.drag(editor.layers().layerChip(3), MouseButton.PRIMARY).dropTo(editor.layers().layerChip(1));
        WaitForAsyncUtils.waitForFxEvents();
        List<LayerKind> edited = List.of(LayerKind.dense(2), LayerKind.moe(4), LayerKind.moe(4), LayerKind.dense(4));
        assertThat(editor.spec().layerKinds()).isEqualTo(edited);
        assertThat(editor.layers().layerChip(1).getText()).isEqualTo("1 M");
        assertThat(editor.layers().layerChip(3).getText()).isEqualTo("3 D");
        assertThat(editor.commands().canUndo()).isTrue();

        ModelSpec expected = original.withLayerKinds(edited);
        assertThat(SpecValidator.validate(expected)).isEmpty();
        assertThat(editor.spec()).isEqualTo(expected);
        assertThat(editor.jsonText().getText()).contains("\"layerKinds\"");
        robot.interact(() -> save());
        ModelSpec saved = ModelSpecs.load(file);
        assertThat(saved).isEqualTo(expected);
        assertTiles(ModelEstimates.of(saved));
        // the estimate really moved: one MoE layer fewer, and layer 0's keys and values are half as wide
        assertThat(ModelEstimates.of(saved).totalParams()).isLessThan(ModelEstimates.of(original).totalParams());
        Screens.shoot(robot, window.scene(), "model-editor.png");
        robot.interact(() -> window.setTheme(Theme.DARK));
        WaitForAsyncUtils.waitForFxEvents();
        Screens.shoot(robot, window.scene(), "model-editor-dark.png");
        robot.interact(() -> window.setTheme(Theme.LIGHT));

        // undo the three edits: the file saved then holds the original JSON (the editor writes its own indentation)
        robot.interact(() -> {
            for (int i = 0; i < 3; i++) {
                editor.commands().undo();
            }
        });
        assertThat(editor.spec()).isEqualTo(original);
        assertTiles(ModelEstimates.of(original));
        robot.interact(() -> save());
        assertThat(ModelSpecs.JSON.readTree(Files.readString(file))).isEqualTo(ModelSpecs.JSON.readTree(originalText));
        // redo walks the same steps forward again
        robot.interact(() -> {
            for (int i = 0; i < 3; i++) {
                editor.commands().redo();
            }
        });
        assertThat(editor.spec()).isEqualTo(expected);
    }

    private void save() {
        try {
            editor.save();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertTiles(ModelEstimates expected) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.totalTile().getValue()).isCloseTo(expected.totalParams() / 1e6, within(1e-9));
        assertThat(editor.activeTile().getValue()).isCloseTo(expected.activeParamsPerToken() / 1e6, within(1e-9));
        assertThat(editor.flopsTile().getValue()).isCloseTo(expected.trainingFlopsPerToken() / 1e6, within(1e-6));
        assertThat(editor.memoryTile().getValue())
                .isCloseTo(expected.trainingStateBytes() / (double) (1 << 20), within(1e-9));
    }
}
