package org.r1wb.workbench.model;

import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecValidator;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Per-layer FFN and attention choices in the model editor, on the sample model (4 layers, the first dense). */
@ExtendWith(ApplicationExtension.class)
class LayerBlocksEditorTest {

    @TempDir
    Path ws;

    private ModelEditor editor;
    private ModelSpec original;
    private Path file;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        file = ws.resolve(SampleWorkspace.MODEL);
        original = ModelSpecs.load(file);
        WorkbenchWindow window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.MODEL, "sample", "sample.model.json", file));
        editor = (ModelEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
    }

    @Test
    void layerTwoMadeDenseFromItsMenuUpdatesTilesAndTheSavedFile(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(original.denseLayers()).isEqualTo(1);
        assertThat(original.isMoeLayer(2)).isTrue();
        assertThat(editor.layers().layerChip(2).getText()).isEqualTo("2 M");

        // right-click layer 2 → dense: the spec keeps dense layers first, so layers 1–2 become dense
        robot.rightClickOn(editor.layers().layerChip(2));
        WaitForAsyncUtils.waitForFxEvents();
        MenuItem dense = editor.layers().layerChip(2).getContextMenu().getItems().get(0);
        assertThat(dense.getText()).isEqualTo("Dense SwiGLU FFN · layers 1–2");
        robot.interact(dense::fire);
        WaitForAsyncUtils.waitForFxEvents();

        ModelSpec expected = new ModelSpec(original.vocabSize(), original.dModel(), original.layers(), original.heads(),
                original.kvHeads(), original.headDim(), original.ropeTheta(), original.maxSeqLen(), original.normEps(),
                original.dropout(), original.tiedEmbeddings(), 3, original.ffnHidden(), original.moe());
        assertThat(SpecValidator.validate(expected)).isEmpty();
        assertThat(editor.spec()).isEqualTo(expected);
        assertTiles(ModelEstimates.of(expected));
        assertThat(ModelEstimates.of(expected).totalParams()).isLessThan(ModelEstimates.of(original).totalParams());
        assertThat(editor.layers().layerChip(2).getText()).isEqualTo("2 D");
        assertThat(editor.layers().layerChip(3).getText()).isEqualTo("3 M");

        robot.interact(() -> {
            try {
                editor.save();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(ModelSpecs.load(file)).isEqualTo(expected);

        // a dense layer after a MoE one cannot be written: refused with the reason, nothing changes
        robot.interact(() -> editor.commands().undo());
        assertThat(editor.spec()).isEqualTo(original);
        assertTiles(ModelEstimates.of(original));
        robot.interact(() -> assertThat(editor.applyLayers(LayerBlocks.ffn(editor.spec(), 3, 3, LayerBlocks.Ffn.DENSE)))
                .isFalse());
        assertThat(editor.spec()).isEqualTo(original);
        assertThat(editor.summary().getText()).startsWith("Layer 3: dense SwiGLU FFN would put dense layers after MoE layers 1–2")
                .contains("keeps the dense layers first");

        // GQA for every layer: 2 kv heads, the tiles follow; redo of the FFN change was dropped by the new edit
        robot.interact(() -> editor.applyLayers(LayerBlocks.attention(editor.spec(), 2)));
        assertThat(editor.spec().kvHeads()).isEqualTo(2);
        assertTiles(ModelEstimates.of(editor.spec()));
        assertThat(ModelEstimates.of(editor.spec()).totalParams()).isLessThan(ModelEstimates.of(original).totalParams());
        robot.interact(() -> editor.commands().undo());
        assertThat(editor.spec()).isEqualTo(original);

        // a range back to MoE, and the range refused when it would strand a dense layer
        robot.interact(() -> editor.layers().chooseRange(0, 3, LayerBlocks.Ffn.MOE));
        assertThat(editor.spec().denseLayers()).isZero();
        assertThat(editor.layers().layerChip(0).getText()).isEqualTo("0 M");
        assertThat(LayerBlocks.ffn(original, 0, 0, LayerBlocks.Ffn.MOE).refused()).isFalse();
        assertThat(LayerBlocks.ffn(expected, 1, 1, LayerBlocks.Ffn.MOE).refused()).isTrue();
    }

    private void assertTiles(ModelEstimates expected) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.totalTile().getValue()).isCloseTo(expected.totalParams() / 1e6, within(1e-9));
        assertThat(editor.activeTile().getValue()).isCloseTo(expected.activeParamsPerToken() / 1e6, within(1e-9));
        assertThat(editor.memoryTile().getValue())
                .isCloseTo(expected.trainingStateBytes() / (double) (1 << 20), within(1e-9));
    }
}
