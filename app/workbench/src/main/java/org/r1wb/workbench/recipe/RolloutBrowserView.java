package org.r1wb.workbench.recipe;

import atlantafx.base.theme.Styles;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.r1wb.model.recipe.grpo.RolloutLog;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rollout browser of a GRPO run: a source switch (training rollouts or held-out answers), a step slider, a text
 * filter and an advantage filter (for held-out answers: correct or wrong) on top; the step's prompts on the left
 * (target and mean reward; for held-out answers ✓ or ✗ and whether the answer changed since the first evaluation);
 * the selected prompt's group of completions on the right, one card each with its reward, the reward terms, its
 * advantage (green reinforced, red discouraged) or for a held-out answer whether it is correct, its length, the answer
 * shown and the {@code <think>} part folded. Held-out answers get a one-line summary of the shown evaluation.
 */
public final class RolloutBrowserView extends BorderPane {

    private final RolloutBrowserModel model;
    private final Slider step = new Slider(0, 0, 0);
    private final Label stepLabel = new Label();
    private final TextField filter = new TextField();
    private final ComboBox<RolloutBrowserModel.AdvantageFilter> advantage = new ComboBox<>();
    private final ComboBox<RolloutBrowserModel.AnswerFilter> answers = new ComboBox<>();
    private final ToggleButton training = new ToggleButton(RolloutBrowserModel.Source.TRAINING.toString());
    private final ToggleButton heldout = new ToggleButton(RolloutBrowserModel.Source.HELDOUT.toString());
    private final Label summary = new Label();
    private final ListView<RolloutLog.Group> prompts = new ListView<>();
    private final VBox cards = new VBox(8);
    private final Label problem = new Label();

    public RolloutBrowserView(RolloutBrowserModel model) {
        this.model = model;
        getStyleClass().add("rollout-browser");
        step.setMajorTickUnit(1);
        step.setMinorTickCount(0);
        step.setSnapToTicks(true);
        step.setBlockIncrement(1);
        HBox.setHgrow(step, Priority.ALWAYS);
        step.valueProperty().addListener((o, was, is) -> model.stepIndexProperty().set((int) Math.round(is.doubleValue())));
        model.stepIndexProperty().addListener((o, was, is) -> {
            step.setValue(is.intValue());
            showStepLabel();
        });
        model.steps().addListener((ListChangeListener<RolloutLog.Step>) c -> {
            step.setMax(Math.max(0, model.steps().size() - 1));
            showStepLabel();
        });
        filter.setPromptText("Filter prompts and completions…");
        filter.textProperty().bindBidirectional(model.textProperty());
        advantage.getItems().setAll(RolloutBrowserModel.AdvantageFilter.values());
        advantage.valueProperty().bindBidirectional(model.advantageProperty());
        answers.getItems().setAll(RolloutBrowserModel.AnswerFilter.values());
        answers.valueProperty().bindBidirectional(model.answersProperty());
        bindSource();
        Button reload = new Button("Reload");
        reload.setOnAction(e -> model.reload());
        reload.setMinWidth(Region.USE_PREF_SIZE);
        advantage.setMinWidth(Region.USE_PREF_SIZE);
        answers.setMinWidth(Region.USE_PREF_SIZE);
        HBox sources = new HBox(training, heldout);
        sources.setMinWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(filter, Priority.ALWAYS);
        HBox bar = new HBox(8, sources, filter, advantage, answers, reload);
        bar.getStyleClass().add("rollout-bar");
        bar.setPadding(new Insets(6, 8, 4, 8));
        Label stepName = new Label("Step");
        stepName.setMinWidth(Region.USE_PREF_SIZE);
        stepLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox steps = new HBox(8, stepName, step, stepLabel);
        steps.getStyleClass().add("rollout-bar");
        steps.setPadding(new Insets(0, 8, 6, 8));
        summary.textProperty().bind(model.summaryProperty());
        summary.visibleProperty().bind(model.summaryProperty().isNotEmpty());
        summary.managedProperty().bind(summary.visibleProperty());
        summary.getStyleClass().add("heldout-summary");
        summary.setPadding(new Insets(0, 8, 6, 8));
        setTop(new VBox(bar, steps, summary, problem));
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.getStyleClass().add("file-notice");

        prompts.setItems(model.groups());
        prompts.setCellFactory(list -> new PromptCell());
        model.sourceProperty().addListener((o, was, is) -> prompts.refresh());
        prompts.getSelectionModel().selectedItemProperty().addListener((o, was, is) -> {
            if (is != null) {
                model.groupProperty().set(is);
            }
        });
        model.groupProperty().addListener((o, was, is) -> prompts.getSelectionModel().select(is));
        model.completions().addListener((ListChangeListener<RolloutLog.Completion>) c -> showCards());
        cards.setPadding(new Insets(8));
        ScrollPane scroll = new ScrollPane(cards);
        scroll.setFitToWidth(true);
        SplitPane split = new SplitPane(prompts, scroll);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.32);
        setCenter(split);
    }

    /**
     * The two-way link of the source switch and the model: a click on the shown source keeps it shown, and a source
     * whose file has no steps is disabled.
     */
    private void bindSource() {
        ToggleGroup group = new ToggleGroup();
        training.setToggleGroup(group);
        heldout.setToggleGroup(group);
        training.setUserData(RolloutBrowserModel.Source.TRAINING);
        heldout.setUserData(RolloutBrowserModel.Source.HELDOUT);
        training.getStyleClass().add(Styles.LEFT_PILL);
        heldout.getStyleClass().add(Styles.RIGHT_PILL);
        training.disableProperty().bind(model.trainingAvailableProperty().not());
        heldout.disableProperty().bind(model.heldoutAvailableProperty().not());
        training.setTooltip(new Tooltip("The sampled groups each step trained on (" + RolloutBrowserModel.Source.TRAINING.file() + ")"));
        heldout.setTooltip(new Tooltip("The policy's greedy answer to each held-out prompt at every evaluation ("
                + RolloutBrowserModel.Source.HELDOUT.file() + "; written when the stage has valData)"));
        group.selectedToggleProperty().addListener((o, was, is) -> {
            if (is == null) {
                group.selectToggle(was);
            } else {
                model.sourceProperty().set((RolloutBrowserModel.Source) is.getUserData());
            }
        });
        showSource(model.sourceProperty().get());
        model.sourceProperty().addListener((o, was, is) -> showSource(is));
    }

    private void showSource(RolloutBrowserModel.Source source) {
        boolean held = source == RolloutBrowserModel.Source.HELDOUT;
        (held ? heldout : training).setSelected(true);
        advantage.setVisible(!held);
        advantage.setManaged(!held);
        answers.setVisible(held);
        answers.setManaged(held);
    }

    /** The view-model. */
    public RolloutBrowserModel model() {
        return model;
    }

    /** The cards shown now, one per completion. */
    public VBox cards() {
        return cards;
    }

    private void showStepLabel() {
        if (model.steps().isEmpty()) {
            stepLabel.setText("no steps");
            return;
        }
        int index = Math.min(model.stepIndexProperty().get(), model.steps().size() - 1);
        stepLabel.setText("step " + model.steps().get(index).step() + " (" + (index + 1) + " of " + model.steps().size() + ")");
    }

    private void showCards() {
        boolean held = model.sourceProperty().get() == RolloutBrowserModel.Source.HELDOUT;
        cards.getChildren().setAll(model.completions().stream().map(c -> card(c, held)).toList());
    }

    /** A completion's card; a held-out answer's badge says whether it is correct instead of its advantage (0). */
    private static VBox card(RolloutLog.Completion completion, boolean heldout) {
        Label reward = new Label(String.format(Locale.ROOT, "reward %.3f", completion.reward()));
        reward.getStyleClass().add("rollout-reward");
        Label advantage;
        if (heldout) {
            boolean correct = RolloutBrowserModel.correct(completion);
            advantage = new Label(correct ? "✓ correct" : "✗ wrong");
            advantage.getStyleClass().addAll("rollout-advantage", correct ? "rollout-reinforced" : "rollout-discouraged");
        } else {
            advantage = new Label(String.format(Locale.ROOT, "advantage %+.3f", completion.advantage()));
            advantage.getStyleClass().addAll("rollout-advantage", completion.advantage() > 0 ? "rollout-reinforced"
                    : completion.advantage() < 0 ? "rollout-discouraged" : "rollout-neutral");
        }
        Label terms = new Label(terms(completion.rewards()) + " · " + completion.tokens() + " tokens");
        terms.getStyleClass().add("rollout-terms");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox header = new HBox(10, reward, terms, gap, advantage);
        ThinkSplit split = ThinkSplit.of(completion.text());
        Label answer = new Label(split.answer().isEmpty() ? "(no answer)" : split.answer());
        answer.setWrapText(true);
        answer.getStyleClass().add("rollout-answer");
        VBox card = new VBox(6, header, answer);
        if (!split.think().isEmpty()) {
            Label think = new Label(split.think());
            think.setWrapText(true);
            TitledPane folded = new TitledPane("think (" + split.think().length() + " characters)", think);
            folded.setExpanded(false);
            folded.getStyleClass().add("rollout-think");
            card.getChildren().add(folded);
        }
        card.getStyleClass().add("rollout-card");
        card.setPadding(new Insets(8));
        return card;
    }

    /**
     * A prompt with its target and its group's mean reward; a held-out prompt with ✓ or ✗, its answer's scores and
     * whether it turned correct or wrong since the first evaluation.
     */
    private final class PromptCell extends ListCell<RolloutLog.Group> {
        @Override
        protected void updateItem(RolloutLog.Group group, boolean empty) {
            super.updateItem(group, empty);
            getStyleClass().removeAll("heldout-turned-correct", "heldout-turned-wrong");
            if (empty || group == null) {
                setText(null);
                return;
            }
            if (model.sourceProperty().get() == RolloutBrowserModel.Source.HELDOUT && !group.completions().isEmpty()) {
                showHeldout(group);
                return;
            }
            double mean = group.completions().stream().mapToDouble(RolloutLog.Completion::reward).average().orElse(Double.NaN);
            setText(group.prompt().strip() + "\n" + (group.target() == null ? "" : "target " + group.target() + " · ")
                    + String.format(Locale.ROOT, "mean reward %.2f of %d", mean, group.completions().size()));
        }

        private void showHeldout(RolloutLog.Group group) {
            RolloutLog.Completion answer = group.completions().get(0);
            RolloutBrowserModel.Change change = model.change(group);
            // the change leads the second line so that a narrow list still shows it
            String since = change == RolloutBrowserModel.Change.SAME ? ""
                    : (change == RolloutBrowserModel.Change.TURNED_CORRECT ? "▲ " : "▼ ") + change + " since step "
                    + model.steps().get(0).step() + " · ";
            setText((RolloutBrowserModel.correct(answer) ? "✓ " : "✗ ") + group.prompt().strip() + "\n" + since
                    + (group.target() == null ? "" : "target " + group.target() + " · ") + terms(answer.rewards()));
            if (change != RolloutBrowserModel.Change.SAME) {
                getStyleClass().add(change == RolloutBrowserModel.Change.TURNED_CORRECT ? "heldout-turned-correct"
                        : "heldout-turned-wrong");
            }
        }
    }

    /** The reward terms of a completion as its card writes them. */
    private static String terms(Map<String, Double> rewards) {
        return rewards.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(" · "));
    }
}
