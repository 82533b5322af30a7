package org.r1wb.workbench.recipe;

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
 * The rollout browser of a GRPO run: a step slider, a text filter and an advantage filter on top; the step's prompts
 * on the left (target and mean reward); the selected prompt's group of completions on the right, one card each with
 * its reward, the reward terms, its advantage (green reinforced, red discouraged) and length, the answer shown and
 * the {@code <think>} part folded.
 */
public final class RolloutBrowserView extends BorderPane {

    private final RolloutBrowserModel model;
    private final Slider step = new Slider(0, 0, 0);
    private final Label stepLabel = new Label();
    private final TextField filter = new TextField();
    private final ComboBox<RolloutBrowserModel.AdvantageFilter> advantage = new ComboBox<>();
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
        Button reload = new Button("Reload");
        reload.setOnAction(e -> model.reload());
        HBox bar = new HBox(8, new Label("Step"), step, stepLabel, filter, advantage, reload);
        bar.getStyleClass().add("rollout-bar");
        bar.setPadding(new Insets(6, 8, 6, 8));
        setTop(new VBox(bar, problem));
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.getStyleClass().add("file-notice");

        prompts.setItems(model.groups());
        prompts.setCellFactory(list -> new PromptCell());
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
        cards.getChildren().setAll(model.completions().stream().map(RolloutBrowserView::card).toList());
    }

    private static VBox card(RolloutLog.Completion completion) {
        Label reward = new Label(String.format(Locale.ROOT, "reward %.3f", completion.reward()));
        reward.getStyleClass().add("rollout-reward");
        Label advantage = new Label(String.format(Locale.ROOT, "advantage %+.3f", completion.advantage()));
        advantage.getStyleClass().addAll("rollout-advantage", completion.advantage() > 0 ? "rollout-reinforced"
                : completion.advantage() < 0 ? "rollout-discouraged" : "rollout-neutral");
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

    /** A prompt with its target and its group's mean reward. */
    private static final class PromptCell extends ListCell<RolloutLog.Group> {
        @Override
        protected void updateItem(RolloutLog.Group group, boolean empty) {
            super.updateItem(group, empty);
            if (empty || group == null) {
                setText(null);
                return;
            }
            double mean = group.completions().stream().mapToDouble(RolloutLog.Completion::reward).average().orElse(Double.NaN);
            setText(group.prompt().strip() + "\n" + (group.target() == null ? "" : "target " + group.target() + " · ")
                    + String.format(Locale.ROOT, "mean reward %.2f of %d", mean, group.completions().size()));
        }
    }

    /** The reward terms of a completion as its card writes them. */
    private static String terms(Map<String, Double> rewards) {
        return rewards.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(" · "));
    }
}
