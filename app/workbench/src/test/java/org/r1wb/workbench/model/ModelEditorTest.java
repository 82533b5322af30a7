package org.r1wb.workbench.model;

import atlantafx.base.theme.Styles;
import org.controlsfx.property.editor.PropertyEditor;
import javafx.scene.control.Control;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
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

/** The model editor on the sample model: tiles follow the model module's estimates, problems sit at their field. */
@ExtendWith(ApplicationExtension.class)
class ModelEditorTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private ModelEditor editor;
    private ModelSpec original;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        Path file = ws.resolve(SampleWorkspace.MODEL);
        original = ModelSpecs.load(file);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
        window.open(WorkspaceItem.leaf(ItemKind.MODEL, "sample", "sample.model.json", file));
        editor = (ModelEditor) window.editors().getSelectionModel().getSelectedItem().getContent();
    }

    @Test
    void tilesFollowExpertsAndTopKAndAnInvalidValueIsFlaggedAtItsField(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertTiles(ModelEstimates.of(original));

        // 16 routed experts into the sheet's field
        Screens.waitFor(5, () -> editor.fieldEditor("moe.routedExperts").isPresent());
        @SuppressWarnings("unchecked")
        PropertyEditor<Object> experts = (PropertyEditor<Object>) editor.fieldEditor("moe.routedExperts").orElseThrow();
        robot.interact(() -> experts.setValue(16));
        WaitForAsyncUtils.waitForFxEvents();
        ModelSpec sixteen = withMoe(original, 16, original.moe().topK());
        assertThat(editor.spec()).isEqualTo(sixteen);
        assertTiles(ModelEstimates.of(sixteen));
        assertThat(ModelEstimates.of(sixteen).totalParams()).isGreaterThan(ModelEstimates.of(original).totalParams());

        robot.interact(() -> editor.set("moe.topK", ModelSpecs.JSON.getNodeFactory().numberNode(4)));
        ModelSpec topFour = withMoe(original, 16, 4);
        assertTiles(ModelEstimates.of(topFour));
        assertThat(ModelEstimates.of(topFour).activeParamsPerToken())
                .isGreaterThan(ModelEstimates.of(sixteen).activeParamsPerToken());

        // more experts per token than there are: flagged at moe.topK, with the validator's message
        robot.interact(() -> editor.set("moe.topK", ModelSpecs.JSON.getNodeFactory().numberNode(20)));
        WaitForAsyncUtils.waitForFxEvents();
        Control topK = (Control) editor.fieldEditor("moe.topK").orElseThrow().getEditor();
        assertThat(topK.getPseudoClassStates()).contains(Styles.STATE_DANGER);
        assertThat(topK.getTooltip().getText()).contains("must be ≤ routedExperts (16)");
        Control dModel = (Control) editor.fieldEditor("dModel").orElseThrow().getEditor();
        assertThat(dModel.getPseudoClassStates()).doesNotContain(Styles.STATE_DANGER);
        assertThat(editor.estimates()).isEmpty();
        assertThat(editor.totalTile().getDescription()).isEqualTo("invalid spec");

        robot.interact(() -> editor.commands().undo());
        assertThat(topK.getPseudoClassStates()).doesNotContain(Styles.STATE_DANGER);
        assertTiles(ModelEstimates.of(topFour));
        robot.interact(() -> {
            editor.commands().undo();
            editor.commands().undo();
        });
        assertThat(editor.spec()).isEqualTo(original);
        assertTiles(ModelEstimates.of(original));

        robot.interact(() -> editor.commands().redo());
        assertThat(editor.spec()).isEqualTo(sixteen);
        // the screenshots are taken by LayerBlocksEditorTest, with layers that differ
    }

    private void assertTiles(ModelEstimates expected) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(editor.totalTile().getValue()).isCloseTo(expected.totalParams() / 1e6, within(1e-9));
        assertThat(editor.activeTile().getValue()).isCloseTo(expected.activeParamsPerToken() / 1e6, within(1e-9));
        assertThat(editor.flopsTile().getValue()).isCloseTo(expected.trainingFlopsPerToken() / 1e6, within(1e-6));
        assertThat(editor.memoryTile().getValue())
                .isCloseTo(expected.trainingStateBytes() / (double) (1 << 20), within(1e-9));
    }

    private static ModelSpec withMoe(ModelSpec s, int experts, int topK) {
        MoeSpec m = s.moe();
        return new ModelSpec(s.vocabSize(), s.dModel(), s.layers(), s.heads(), s.kvHeads(), s.headDim(),
                s.ropeTheta(), s.maxSeqLen(), s.normEps(), s.dropout(), s.tiedEmbeddings(), s.denseLayers(),
                s.ffnHidden(), new MoeSpec(experts, m.sharedExperts(), topK, m.expertHidden(), m.gate(),
                m.balancing(), m.auxLossWeight(), m.biasUpdateRate()));
    }
}
