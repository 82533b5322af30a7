package org.r1wb.workbench.recipe;

import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.recipe.grpo.HeldoutEvaluation;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout browser on a recipe's GRPO stage folder: the last step is shown first, a prompt's group shows one card
 * per completion with the answer visible and the reasoning folded, and the text and advantage filters narrow it. A
 * second folder also has held-out answers: the source switch shows their evaluations, the correct / wrong filter, the
 * step's summary and which answers changed since step 0, and switches back to the rollouts.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutBrowserTest {

    @TempDir
    Path ws;

    /** Held-out prompts and targets of the second folder. */
    private static final String[][] HELDOUT = {{"What is 2 + 2?", "4"}, {"What is 9 - 3?", "6"}, {"What is 5 * 5?", "25"},
            {"What is 8 / 2?", "4"}, {"What is 7 + 6?", "13"}};
    /** The held-out evaluations' steps (every 2 steps). */
    private static final int[] EVALUATED = {0, 2, 4};
    /** Whether the answer to held-out prompt p is right at evaluation e: prompts 1 and 2 turn right, 3 turns wrong. */
    private static final boolean[][] RIGHT = {{true, false, false, true, false}, {true, true, false, true, false},
            {true, true, true, false, false}};

    private WorkbenchWindow window;
    private Path run;
    private Path evaluated;

    @Start
    void start(Stage stage) throws Exception {
        SampleWorkspace.create(ws);
        run = ws.resolve("runs/r1-tiny/rl");
        for (int step = 1; step <= 3; step++) {
            RolloutLog.append(run, step(step));
        }
        evaluated = ws.resolve("runs/r1-tiny/rl-heldout");
        for (int step = 1; step <= 3; step++) {
            RolloutLog.append(evaluated, step(step));
        }
        for (int e = 0; e < EVALUATED.length; e++) {
            RolloutLog.append(evaluated, HeldoutEvaluation.FILE, evaluation(e));
        }
        RolloutLog.append(ws.resolve("runs/r1-tiny/distill"), HeldoutEvaluation.FILE, evaluation(0));
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    /** Two prompts of 4 completions: the right answers get reward 1, so their advantages are positive. */
    private static RolloutLog.Step step(int step) {
        List<RolloutLog.Group> groups = new ArrayList<>();
        String[][] prompts = {{"What is 12 + 7?", "19"}, {"What is 3 * 4?", "12"}};
        for (String[] prompt : prompts) {
            List<RolloutLog.Completion> completions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                boolean right = i < step % 3 + 1;
                String answer = right ? prompt[1] : "7";
                Map<String, Double> rewards = new LinkedHashMap<>();
                rewards.put("accuracy", right ? 1.0 : 0.0);
                rewards.put("format", 1.0);
                double reward = (right ? 1.0 : 0.0) + 0.5;
                completions.add(new RolloutLog.Completion("<think>add the numbers carefully, step " + step
                        + "</think><answer>" + answer + "</answer>", reward, rewards, right ? 0.8 : -0.8, 12 + i));
            }
            groups.add(new RolloutLog.Group(prompt[0], prompt[1], completions));
        }
        return new RolloutLog.Step(step, groups);
    }

    /** Evaluation {@code e}: each held-out prompt with its one greedy answer, format right on every other prompt. */
    private static RolloutLog.Step evaluation(int e) {
        List<RolloutLog.Group> groups = new ArrayList<>();
        for (int p = 0; p < HELDOUT.length; p++) {
            Map<String, Double> rewards = new LinkedHashMap<>();
            rewards.put("accuracy", RIGHT[e][p] ? 1.0 : 0.0);
            rewards.put("format", format(e, p));
            String answer = "<think>compute it</think><answer>" + (RIGHT[e][p] ? HELDOUT[p][1] : "0") + "</answer>";
            groups.add(new RolloutLog.Group(HELDOUT[p][0], HELDOUT[p][1], List.of(new RolloutLog.Completion(answer,
                    rewards.get("accuracy") + rewards.get("format"), rewards, 0, 9))));
        }
        return new RolloutLog.Step(EVALUATED[e], groups);
    }

    private static double format(int e, int p) {
        return (e + p) % 2 == 0 ? 1.0 : 0.0;
    }

    @Test
    void showsTheLastStepsGroupsWithTheReasoningFoldedAndFilters(FxRobot robot) throws Exception {
        List<RolloutBrowserView> opened = new ArrayList<>();
        robot.interact(() -> window.openRollouts(run).ifPresent(opened::add));
        assertThat(opened).hasSize(1);
        RolloutBrowserView browser = opened.get(0);
        Screens.waitFor(30, () -> browser.model().loadedProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        RolloutBrowserModel model = browser.model();
        assertThat(model.steps()).extracting(RolloutLog.Step::step).containsExactly(1, 2, 3);
        assertThat(model.stepIndexProperty().get()).as("the latest step first").isEqualTo(2);
        assertThat(model.groups()).extracting(RolloutLog.Group::prompt).containsExactly("What is 12 + 7?", "What is 3 * 4?");
        VBox cards = browser.cards();
        assertThat(cards.getChildren()).hasSize(4);
        VBox first = (VBox) cards.getChildren().get(0);
        assertThat(first.getChildren()).filteredOn(n -> n instanceof Label).extracting(n -> ((Label) n).getText())
                .containsExactly("<answer>19</answer>");
        TitledPane think = (TitledPane) first.getChildren().get(2);
        assertThat(think.isExpanded()).as("the reasoning starts folded").isFalse();
        assertThat(think.getText()).isEqualTo("think (" + "add the numbers carefully, step 3".length() + " characters)");
        Screens.shoot(robot, window.editors().getScene(), "rollouts.png");

        robot.interact(() -> model.advantageProperty().set(RolloutBrowserModel.AdvantageFilter.DISCOURAGED));
        assertThat(model.completions()).isNotEmpty().allSatisfy(c -> assertThat(c.advantage()).isNegative());
        assertThat(cards.getChildren()).hasSize(model.completions().size());
        robot.interact(() -> {
            model.advantageProperty().set(RolloutBrowserModel.AdvantageFilter.ALL);
            model.textProperty().set("3 * 4");
        });
        assertThat(model.groups()).extracting(RolloutLog.Group::prompt).containsExactly("What is 3 * 4?");
        robot.interact(() -> model.stepIndexProperty().set(0));
        assertThat(model.completions()).extracting(RolloutLog.Completion::text)
                .allSatisfy(t -> assertThat(t).contains("step 1"));
        assertThat(Files.size(run.resolve(RolloutLog.FILE))).isPositive();
        assertThat(model.heldoutAvailableProperty().get()).as("this run has no held-out answers").isFalse();
        assertThat(sourceButton(browser, RolloutBrowserModel.Source.HELDOUT).isDisabled()).isTrue();

        List<RolloutBrowserView> distill = new ArrayList<>();
        robot.interact(() -> window.openRollouts(ws.resolve("runs/r1-tiny/distill")).ifPresent(distill::add));
        assertThat(distill).as("a folder with held-out answers only has a browser too").hasSize(1);
        RolloutBrowserModel student = distill.get(0).model();
        Screens.waitFor(30, () -> student.loadedProperty().get());
        assertThat(student.sourceProperty().get()).as("opens on the file it has").isEqualTo(RolloutBrowserModel.Source.HELDOUT);
        assertThat(student.steps()).extracting(RolloutLog.Step::step).containsExactly(0);
        assertThat(sourceButton(distill.get(0), RolloutBrowserModel.Source.TRAINING).isDisabled()).isTrue();
    }

    @Test
    void switchesToTheHeldOutAnswersAndBack(FxRobot robot) throws Exception {
        List<RolloutBrowserView> opened = new ArrayList<>();
        robot.interact(() -> window.openRollouts(evaluated).ifPresent(opened::add));
        RolloutBrowserView browser = opened.get(0);
        Screens.waitFor(30, () -> browser.model().loadedProperty().get());
        RolloutBrowserModel model = browser.model();
        assertThat(model.sourceProperty().get()).isEqualTo(RolloutBrowserModel.Source.TRAINING);
        assertThat(model.summaryProperty().get()).as("no summary for training rollouts").isEmpty();

        ToggleButton heldout = sourceButton(browser, RolloutBrowserModel.Source.HELDOUT);
        assertThat(heldout.isDisabled()).isFalse();
        robot.interact(heldout::fire);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.sourceProperty().get()).isEqualTo(RolloutBrowserModel.Source.HELDOUT);
        assertThat(model.steps()).extracting(RolloutLog.Step::step).containsExactly(0, 2, 4);
        int last = EVALUATED.length - 1;
        assertThat(model.stepIndexProperty().get()).isEqualTo(last);
        assertThat(model.groups()).extracting(RolloutLog.Group::prompt)
                .containsExactly(Arrays.stream(HELDOUT).map(p -> p[0]).toArray(String[]::new));
        assertThat(browser.cards().getChildren()).as("one greedy answer a prompt").hasSize(1);

        int right = 0;
        double format = 0;
        for (int p = 0; p < HELDOUT.length; p++) {
            right += RIGHT[last][p] ? 1 : 0;
            format += format(last, p);
        }
        assertThat(model.summaryProperty().get()).isEqualTo(String.format(Locale.ROOT,
                "step %d · %d prompts · %d correct · accuracy %.3f · format %.3f", EVALUATED[last], HELDOUT.length, right,
                (double) right / HELDOUT.length, format / HELDOUT.length));

        RolloutLog.Group turnedRight = model.groups().get(2);
        RolloutLog.Group turnedWrong = model.groups().get(3);
        assertThat(model.change(turnedRight)).isEqualTo(RolloutBrowserModel.Change.TURNED_CORRECT);
        assertThat(model.change(turnedWrong)).isEqualTo(RolloutBrowserModel.Change.TURNED_WRONG);
        assertThat(model.change(model.groups().get(0))).isEqualTo(RolloutBrowserModel.Change.SAME);
        assertThat(browser.lookupAll(".list-cell")).filteredOn(n -> ((ListCell<?>) n).getItem() == turnedRight)
                .extracting(n -> ((ListCell<?>) n).getText()).singleElement().asString()
                .startsWith("✓ What is 5 * 5?").contains("▲ turned correct since step 0");
        robot.interact(() -> model.groupProperty().set(turnedRight));
        Screens.shoot(robot, window.editors().getScene(), "rollouts-heldout.png");

        robot.interact(() -> model.answersProperty().set(RolloutBrowserModel.AnswerFilter.CORRECT));
        assertThat(model.groups()).hasSize(right).allSatisfy(g -> assertThat(RolloutBrowserModel.correct(g)).isTrue());
        robot.interact(() -> model.answersProperty().set(RolloutBrowserModel.AnswerFilter.WRONG));
        assertThat(model.groups()).hasSize(HELDOUT.length - right);
        robot.interact(() -> {
            model.textProperty().set("5 * 5");
            model.stepIndexProperty().set(0);
        });
        assertThat(model.groups()).as("5 * 5 was answered wrong at step 0").extracting(RolloutLog.Group::prompt)
                .containsExactly("What is 5 * 5?");
        assertThat(model.summaryProperty().get()).startsWith("step 0 · 5 prompts");

        robot.interact(() -> {
            model.textProperty().set("");
            sourceButton(browser, RolloutBrowserModel.Source.TRAINING).fire();
        });
        assertThat(model.sourceProperty().get()).isEqualTo(RolloutBrowserModel.Source.TRAINING);
        assertThat(model.steps()).extracting(RolloutLog.Step::step).containsExactly(1, 2, 3);
        assertThat(model.groups()).extracting(RolloutLog.Group::prompt).containsExactly("What is 12 + 7?", "What is 3 * 4?");
        assertThat(browser.cards().getChildren()).hasSize(4);
        assertThat(model.summaryProperty().get()).isEmpty();
    }

    private static ToggleButton sourceButton(RolloutBrowserView browser, RolloutBrowserModel.Source source) {
        return browser.lookupAll(".toggle-button").stream().map(ToggleButton.class::cast)
                .filter(b -> b.getUserData() == source).findFirst().orElseThrow();
    }
}
