package org.r1wb.workbench.recipe;

import javafx.event.Event;
import javafx.scene.control.Button;
import javafx.scene.control.Tab;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.export.ModelExport;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.recipe.Recipes;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.r1wb.workbench.workspace.WorkspaceScanner;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recipe editor: a recipe opened from the project tree is drawn as a chain with its links, skipped stage, problems
 * and run states; an edit of a stage saves (Ctrl+S) and undoes (Ctrl+Z); a grpo stage opens its rollouts; and "Run
 * this stage" runs a quantize stage in a child agent until its node shows it finished.
 */
@ExtendWith(ApplicationExtension.class)
class RecipeEditorTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws Exception {
        RecipeFixture.create(ws);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    /** Opens the recipe file as the project tree lists it. */
    private RecipeEditor open(FxRobot robot, String file) throws Exception {
        WorkspaceItem recipes = WorkspaceScanner.scan(ws).children().stream()
                .filter(g -> g.label().equals("Recipes")).findFirst().orElseThrow();
        WorkspaceItem item = recipes.children().stream()
                .filter(i -> i.path().equals(ws.resolve(file))).findFirst().orElseThrow();
        assertThat(item.kind()).isEqualTo(ItemKind.RECIPE);
        List<RecipeEditor> opened = new ArrayList<>();
        robot.interact(() -> opened.add((RecipeEditor) window.open(item).getContent()));
        RecipeEditor editor = opened.get(0);
        // the statuses are read off the FX thread once the editor opens
        Screens.waitFor(20, () -> !editor.model().statusesProperty().get().isEmpty());
        return editor;
    }

    private static void key(FxRobot robot, RecipeEditor editor, KeyCode code, boolean shift) {
        robot.interact(() -> Event.fireEvent(editor, new KeyEvent(KeyEvent.KEY_PRESSED, "", "", code, shift, true,
                false, false)));
    }

    @Test
    void drawsTheChainWithLinksSkippedStageProblemsAndStatesAndEditsAStage(FxRobot robot) throws Exception {
        RecipeEditor editor = open(robot, RecipeFixture.CHAIN);
        RecipeChainView chain = editor.chain();
        Path file = ws.resolve(RecipeFixture.CHAIN);
        Recipe original = Recipes.load(file);

        assertThat(chain.cards()).extracting(c -> c.stage().name())
                .containsExactly("base", "cold-start", "rl", "polish", "prefs", "int8");
        assertThat(chain.links()).containsExactly(new RecipeChain.Link(0, 1, false), new RecipeChain.Link(1, 2, false),
                new RecipeChain.Link(2, 3, false), new RecipeChain.Link(1, 4, true), new RecipeChain.Link(4, 5, false));
        assertThat(chain.cards()).extracting(RecipeChainView.Card::dimmed)
                .containsExactly(false, false, false, true, false, false);

        assertThat(editor.model().problems()).extracting(SpecProblem::path).containsExactly("stages[2].params.groupSize");
        RecipeChainView.Card rl = chain.cards().get(2);
        assertThat(rl.problems()).singleElement().asString().startsWith("stages[2].params.groupSize: must be a whole "
                + "number ≥ 2").contains(" — use 8");
        assertThat(rl.problemText()).startsWith("params.groupSize: must be");
        assertThat(chain.cards()).filteredOn(c -> c != rl).allSatisfy(c -> assertThat(c.problems()).isEmpty());

        assertThat(chain.cards()).extracting(RecipeChainView.Card::statusText).containsExactly(
                "finished · 200 / 200", "stopped · 40 / 100", "not run", "not run", "not run", "not run");
        assertThat(rl.rolloutsLink()).hasValueSatisfying(link -> assertThat(link.isDisabled()).isFalse());
        assertThat(chain.cards().get(5).rolloutsLink()).isEmpty();
        assertThat(chain.cards()).extracting(c -> c.curvesLink().isPresent()).as("every kind but quantize has curves")
                .containsExactly(true, true, true, true, true, false);

        robot.clickOn(rl);
        assertThat(editor.model().selectedProperty().get()).isEqualTo(2);
        robot.interact(() -> {
            window.setPropertiesCollapsed(true);
            window.setToolWindowsCollapsed(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Screens.shoot(robot, window.scene(), "recipe-chain.png");
        robot.interact(() -> window.setTheme(Theme.DARK));
        WaitForAsyncUtils.waitForFxEvents();
        Screens.shoot(robot, window.scene(), "recipe-chain-dark.png");
        robot.interact(() -> window.setTheme(Theme.LIGHT));

        // edit the first stage's steps, save with Ctrl+S: the file reads back as the original with that change
        robot.clickOn(chain.cards().get(0));
        assertThat(editor.sheet().field("steps")).isPresent();
        robot.interact(() -> editor.sheet().field("steps").orElseThrow().setValue(300));
        assertThat(editor.model().dirtyProperty().get()).isTrue();
        key(robot, editor, KeyCode.S, false);
        assertThat(editor.model().dirtyProperty().get()).isFalse();
        List<RecipeStage> expected = new ArrayList<>(original.stages());
        RecipeStage base = expected.get(0);
        expected.set(0, new RecipeStage(base.kind(), base.name(), base.input(), base.data(), 300, base.batchSize(),
                base.seqLen(), base.optimizer(), base.skip(), base.params()));
        assertThat(Recipes.load(file)).isEqualTo(new Recipe(original.name(), original.model(), original.seed(), expected));
        assertThat(chain.cards().get(0).getChildren()).anySatisfy(n -> assertThat(n.toString()).contains("300 steps"));

        // undo with Ctrl+Z: the recipe is the original again, and saving it writes the original back
        key(robot, editor, KeyCode.Z, false);
        assertThat(editor.model().recipe()).isEqualTo(original);
        assertThat(editor.sheet().field("steps").orElseThrow().getValue()).isEqualTo(200);
        key(robot, editor, KeyCode.S, false);
        assertThat(Recipes.load(file)).isEqualTo(original);

        // unskip the skipped stage from the tool bar: it is no longer dimmed; undo dims it again
        robot.clickOn(chain.cards().get(3));
        robot.interact(() -> button(editor, "Skip / unskip").fire());
        assertThat(chain.cards().get(3).dimmed()).isFalse();
        assertThat(editor.model().recipe().stages().get(3).skipped()).isFalse();
        robot.interact(() -> editor.model().commands().undo());
        assertThat(chain.cards().get(3).dimmed()).isTrue();

        // the grpo stage's rollouts open in the run's tab
        robot.interact(() -> chain.cards().get(2).rolloutsLink().orElseThrow().fire());
        Tab front = window.editors().getSelectionModel().getSelectedItem();
        assertThat(front.getText()).isEqualTo("rl");
        assertThat(window.openRollouts(editor.model().runDir("rl"))).isPresent();
    }

    @Test
    void runsOneStageInTheAgentUntilItsNodeShowsItFinished(FxRobot robot) throws Exception {
        RecipeEditor editor = open(robot, RecipeFixture.QUANT);
        assertThat(editor.model().problems()).isEmpty();
        RecipeChainView.Card int8 = editor.chain().cards().get(0);
        assertThat(int8.statusText()).isEqualTo("not run");
        List<StageStatus.State> seen = new CopyOnWriteArrayList<>();
        editor.model().statusesProperty().addListener((o, was, is) -> {
            StageStatus status = is.get("int8");
            if (status != null && (seen.isEmpty() || seen.get(seen.size() - 1) != status.state())) {
                seen.add(status.state());
            }
        });
        robot.clickOn(int8);
        robot.interact(() -> button(editor, "▶ Run this stage").fire());
        assertThat(editor.model().runningProperty().get()).isTrue();
        Screens.waitFor(90, () -> !editor.model().runningProperty().get());
        Screens.waitFor(10, () -> int8.statusText().startsWith("finished"));
        assertThat(seen).as("refreshed while the agent ran").containsExactly(StageStatus.State.RUNNING,
                StageStatus.State.FINISHED);
        Path export = editor.model().runDir("int8").resolve("export");
        assertThat(ModelExport.readConfig(export).quantization()).isEqualTo("int8");
        assertThat(editor.model().messageProperty().get()).endsWith("stage int8 finished");
        assertThat(window.toolWindows().console().getText()).contains("agent: ");
    }

    private static Button button(RecipeEditor editor, String text) {
        return editor.lookupAll(".button").stream().filter(n -> n instanceof Button b && b.getText().equals(text))
                .map(Button.class::cast).findFirst().orElseThrow();
    }
}
