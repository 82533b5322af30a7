package org.r1wb.workbench.recipe;

import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout browser on a recipe's GRPO stage folder: the last step is shown first, a prompt's group shows one card
 * per completion with the answer visible and the reasoning folded, and the text and advantage filters narrow it.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutBrowserTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private Path run;

    @Start
    void start(Stage stage) throws Exception {
        SampleWorkspace.create(ws);
        run = ws.resolve("runs/r1-tiny/rl");
        for (int step = 1; step <= 3; step++) {
            RolloutLog.append(run, step(step));
        }
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
    }
}
