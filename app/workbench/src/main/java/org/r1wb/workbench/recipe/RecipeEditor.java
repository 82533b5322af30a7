package org.r1wb.workbench.recipe;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Group;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.workbench.editor.EditorButtons;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

import static org.r1wb.workbench.editor.EditorButtons.button;

/**
 * The editor of a {@code *.recipe.json}: the stages drawn as a chain ({@link RecipeChainView}), the selected stage's
 * settings ({@link RecipeStageSheet}), the recipe's validation problems, and runs of the recipe or of one stage in
 * a child agent with each stage's status following its run folder. Save with Ctrl+S, undo with Ctrl+Z.
 */
public final class RecipeEditor extends BorderPane {

    private static final KeyCombination SAVE = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination UNDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);

    private static final double MIN_SCALE = 0.7;

    private final RecipeEditorModel model;
    private final RecipeChainView chain;
    private final RecipeStageSheet sheet;
    private final ListView<String> problems = new ListView<>();
    private final Label summary = new Label();
    private final Label header = new Label();
    private Consumer<String> onOpenRollouts = name -> { };
    private Consumer<String> onOpenCurves = name -> { };

    public RecipeEditor(RecipeEditorModel model) {
        this.model = model;
        getStyleClass().add("recipe-editor");
        chain = new RecipeChainView(model);
        chain.setOnOpenRollouts(name -> onOpenRollouts.accept(name));
        chain.setOnOpenCurves(name -> onOpenCurves.accept(name));
        sheet = new RecipeStageSheet(model);
        ScrollPane scroll = new ScrollPane(new Group(chain));
        scroll.getStyleClass().add("recipe-chain-scroll");
        // a long chain shrinks to the width (down to MIN_SCALE) before it scrolls
        chain.scaleXProperty().bind(Bindings.createDoubleBinding(() -> Math.max(MIN_SCALE, Math.min(1,
                (scroll.getViewportBounds().getWidth() - 4) / Math.max(1, chain.getPrefWidth()))),
                scroll.viewportBoundsProperty(), chain.prefWidthProperty()));
        chain.scaleYProperty().bind(chain.scaleXProperty());
        SplitPane bottom = new SplitPane(problemsPane(), sheet);
        bottom.setDividerPositions(0.55);
        SplitPane split = new SplitPane(scroll, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.52);
        header.getStyleClass().add("recipe-header");
        header.textProperty().bind(Bindings.createStringBinding(this::headerText, model.recipeProperty()));
        setTop(new VBox(toolBar(), header));
        setCenter(split);
        model.problems().addListener((ListChangeListener<SpecProblem>) c -> showProblems());
        showProblems();
        addEventFilter(KeyEvent.KEY_PRESSED, this::shortcut);
        model.refresh();
    }

    public RecipeEditorModel model() {
        return model;
    }

    public RecipeChainView chain() {
        return chain;
    }

    public RecipeStageSheet sheet() {
        return sheet;
    }

    /** The validation problems listed under the chain, "path: message — fix" each. */
    public ListView<String> problems() {
        return problems;
    }

    /** Where a grpo stage's "Rollouts" link goes: the workbench opens that stage's run on its rollout browser. */
    public void setOnOpenRollouts(Consumer<String> open) {
        onOpenRollouts = open;
    }

    /**
     * Where a stage's "Curves" link (and a double-click on its card) goes: the workbench opens the stage's live curves
     * from the recipe's journal.
     */
    public void setOnOpenCurves(Consumer<String> open) {
        onOpenCurves = open;
    }

    /** Saves the file; a failure is shown in the tool bar. */
    public void save() {
        try {
            model.save();
        } catch (IOException e) {
            model.messageProperty().set("Cannot save: " + e.getMessage());
        }
    }

    private void shortcut(KeyEvent e) {
        if (SAVE.match(e)) {
            save();
        } else if (REDO.match(e)) {
            model.commands().redo();
        } else if (UNDO.match(e)) {
            model.commands().undo();
        } else {
            return;
        }
        e.consume();
    }

    /** "r1-tiny · model models/tiny.model.json · seed 3 · 6 stages, 1 skipped". */
    private String headerText() {
        if (model.recipe() == null) {
            return "";
        }
        long skipped = model.recipe().stages().stream().filter(RecipeStage::skipped).count();
        return model.recipe().name() + "  ·  model " + model.recipe().model() + "  ·  seed " + model.recipe().seed()
                + "  ·  " + model.recipe().stages().size() + " stages" + (skipped == 0 ? "" : ", " + skipped + " skipped");
    }

    private void toggleSkip() {
        model.selectedStage().ifPresent(stage -> model.setSkipped(model.selectedProperty().get(), !stage.skipped()));
    }

    private void showProblems() {
        List<String> lines = model.problems().stream()
                .map(p -> p.path() + ": " + p.message() + " — " + p.fix()).toList();
        problems.getItems().setAll(lines.isEmpty() ? List.of("No problems: the recipe is valid") : lines);
    }

    private VBox problemsPane() {
        Label caption = new Label("Problems");
        caption.getStyleClass().add("pane-caption");
        problems.getStyleClass().add("recipe-problems");
        VBox pane = new VBox(caption, problems);
        VBox.setVgrow(problems, Priority.ALWAYS);
        return pane;
    }

    private ToolBar toolBar() {
        Button save = button("Save", "Write the recipe file (Ctrl+S)", this::save);
        save.disableProperty().bind(model.dirtyProperty().not());
        List<Button> undoRedo = EditorButtons.undoRedo(model.commands());
        Button runAll = button("▶ Run recipe", "Save, then run every stage not skipped in the agent "
                + "(finished stages are passed over, an interrupted one resumes)", model::runRecipe);
        runAll.getStyleClass().add(Styles.SUCCESS);
        runAll.disableProperty().bind(model.runningProperty());
        Button runStage = button("▶ Run this stage", "Save, then run the selected stage alone in the agent "
                + "(its input must exist)", () -> model.selectedStage().map(RecipeStage::name).ifPresent(model::runStage));
        runStage.disableProperty().bind(model.runningProperty().or(model.selectedProperty().lessThan(0)));
        Button skip = button("Skip / unskip", "Leave the selected stage out of runs, or put it back", this::toggleSkip);
        skip.disableProperty().bind(model.selectedProperty().lessThan(0));
        Button stop = button("■ Stop", "Stop the agent: the running stage checkpoints; run again to resume it",
                model::cancel);
        stop.disableProperty().bind(model.runningProperty().not());
        Button refresh = button("Refresh", "Read the stages' run folders again", model::refresh);
        summary.getStyleClass().add("editor-summary");
        summary.textProperty().bind(Bindings.createStringBinding(() -> model.messageProperty().get().isEmpty()
                ? "runs in " + model.runsShown() + "/" : model.messageProperty().get(), model.messageProperty(),
                model.recipeProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar bar = new ToolBar(save, undoRedo.get(0), undoRedo.get(1), new Separator(Orientation.VERTICAL),
                runAll, runStage, skip, stop, refresh, spacer, summary);
        bar.getStyleClass().add("editor-toolbar");
        return bar;
    }
}
