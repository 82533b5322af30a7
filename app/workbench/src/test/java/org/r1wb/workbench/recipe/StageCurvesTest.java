package org.r1wb.workbench.recipe;

import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeRunner;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.recipe.Recipes;
import org.r1wb.model.recipe.StageKind;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.views.chart.MetricChart;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.r1wb.workbench.workspace.WorkspaceScanner;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipe stage's live curves: opened from the grpo stage's card in the recipe editor, they chart that stage's metrics
 * from the recipe's one journal (no other stage's), held-out scores as sparse points, and follow the journal as it
 * grows.
 *
 * <p>The recorded journal and its recipe are {@code src/test/resources/recipe-curves/events.jsonl} and
 * {@code r1-zero.recipe.json}: every expected value is read from them, so a real run's journal (with its recipe) can
 * replace them.
 */
@ExtendWith(ApplicationExtension.class)
class StageCurvesTest {

    private static final String FIXTURE = "/recipe-curves/";
    private static final String RECIPE_FILE = "r1-zero.recipe.json";

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private Path recipeFile;
    private Path journal;

    @Start
    void start(Stage stage) throws Exception {
        Files.writeString(ws.resolve("workspace.json"), "{\"format\": 1, \"name\": \"curves\"}\n");
        recipeFile = copy(RECIPE_FILE, ws.resolve("recipes").resolve(RECIPE_FILE));
        Recipe recipe = Recipes.load(recipeFile);
        ModelSpecs.save(RecipeFixture.MODEL, recipeFile.resolveSibling(recipe.model()));
        journal = copy("events.jsonl", recipeFile.resolveSibling("runs").resolve(recipe.name()).resolve("events.jsonl"));
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @Test
    void opensAGrpoStagesCurvesFromItsCardChartsOnlyItsMetricsAndFollowsTheJournal(FxRobot robot) throws Exception {
        Recipe recipe = Recipes.load(recipeFile);
        RecipeStage grpo = recipe.stages().stream().filter(s -> StageKind.of(s.kind()).orElseThrow() == StageKind.GRPO)
                .findFirst().orElseThrow();
        List<RunEvent> recorded = EventJournal.read(journal);
        Map<String, List<double[]>> expected = points(recorded, grpo.name());
        List<double[]> otherLosses = recorded.stream()
                .filter(e -> e.type().equals("metric") && !grpo.name().equals(e.text(RecipeRunner.STAGE_FIELD))
                        && !Double.isNaN(e.number("loss")))
                .map(e -> new double[] {e.number("step"), e.number("loss")}).toList();
        assertThat(otherLosses).as("the journal holds another stage's losses").isNotEmpty();

        RecipeEditor editor = open(robot);
        RecipeChainView.Card card = editor.chain().cards().stream().filter(c -> c.stage().name().equals(grpo.name()))
                .findFirst().orElseThrow();
        assertThat(card.curvesLink()).isPresent();
        // on its title: the card's lower part may lie under the chain's scroll bar
        robot.doubleClickOn(card.lookup(".graph-node-title"));
        Tab tab = window.editors().getSelectionModel().getSelectedItem();
        assertThat(tab.getText()).isEqualTo(grpo.name() + " · curves");
        StageCurvesView view = (StageCurvesView) tab.getContent();
        // the link opens the same tab again, not a second one
        int tabs = window.editors().getTabs().size();
        robot.interact(() -> card.curvesLink().orElseThrow().fire());
        assertThat(window.editors().getTabs()).hasSize(tabs);
        assertThat(window.editors().getSelectionModel().getSelectedItem()).isSameAs(tab);

        long lastSeq = recorded.get(recorded.size() - 1).seq();
        Screens.waitFor(20, () -> view.model().lastSeq() == lastSeq);

        // every chart draws exactly the stage's metrics it is for, each point as the journal has it
        for (StageCurvePanel panel : view.panels()) {
            MetricChart chart = view.chart(panel);
            assertThat(chart.getSeries()).extracting(MetricSeries::name).as(panel.title())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet().stream().filter(panel.draws()).toList());
            for (MetricSeries series : chart.getSeries()) {
                assertThat(points(series)).as(series.name()).containsExactlyElementsOf(expected.get(series.name()));
            }
        }
        List<String> rewards = ((List<?>) grpo.params().get("rewards")).stream()
                .map(r -> "reward_" + ((Map<?, ?>) r).get("name")).toList();
        assertThat(view.chart("Reward (training rollouts)").getSeries()).extracting(MetricSeries::name)
                .contains("reward").containsAll(rewards);
        for (String chart : List.of("KL to reference", "Completion length", "Clip fraction")) {
            assertThat(view.chart(chart).getSeries()).as(chart).isNotEmpty();
        }
        MetricSeries valAccuracy = view.model().series("val_accuracy");
        MetricSeries reward = view.model().series("reward");
        assertThat(view.chart("Held-out reward (every k steps)").getSeries()).contains(valAccuracy);
        assertThat(valAccuracy.style()).isEqualTo(MetricSeries.Style.LINE_AND_MARKERS);
        assertThat(valAccuracy.size()).as("held-out points are sparse").isGreaterThan(1).isLessThan(reward.size());
        MetricSeries loss = view.model().series("loss");
        assertThat(points(loss)).as("no other stage's loss").doesNotContainAnyElementsOf(otherLosses)
                .hasSize(expected.get("loss").size());
        assertThat(view.headlineText()).contains("step " + (long) reward.maxX()).contains("reward ");

        robot.interact(() -> {
            window.setPropertiesCollapsed(true);
            window.setToolWindowsCollapsed(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Screens.shoot(robot, window.scene(), "recipe-grpo-curves.png");

        // the recipe runs on: a step of the grpo stage and one of another stage are appended while the tab is open
        int step = (int) reward.maxX() + 1;
        Map<String, Object> next = new LinkedHashMap<>();
        next.put(RecipeRunner.STAGE_FIELD, grpo.name());
        next.put("step", step);
        next.put("loss", 0.0123);
        next.put("reward", 0.875);
        next.put("kl", 0.0456);
        Map<String, Object> other = new LinkedHashMap<>();
        other.put(RecipeRunner.STAGE_FIELD, "another-stage");
        other.put("step", step);
        other.put("loss", 9.75);
        int rewards0 = reward.size();
        int losses0 = loss.size();
        try (EventJournal appender = EventJournal.openForAppend(journal, recipe.name())) {
            appender.emit("metric", other);
            appender.emit("metric", next);
        }
        Screens.waitFor(20, () -> reward.size() == rewards0 + 1);
        assertThat(points(reward).get(rewards0)).containsExactly(step, 0.875);
        assertThat(loss.size()).isEqualTo(losses0 + 1);
        assertThat(points(loss).get(losses0)).containsExactly(step, 0.0123);
        assertThat(view.model().series("kl").lastY()).isEqualTo(0.0456);
        assertThat(view.headlineText()).contains("step " + step);
    }

    /** Opens the recipe as the project tree lists it. */
    private RecipeEditor open(FxRobot robot) throws Exception {
        WorkspaceItem item = WorkspaceScanner.scan(ws).children().stream().flatMap(g -> g.children().stream())
                .filter(i -> i.path().equals(recipeFile)).findFirst().orElseThrow();
        List<RecipeEditor> opened = new ArrayList<>();
        robot.interact(() -> opened.add((RecipeEditor) window.open(item).getContent()));
        Screens.waitFor(20, () -> !opened.get(0).model().statusesProperty().get().isEmpty());
        return opened.get(0);
    }

    /** Each numeric field of stage {@code stage}'s metric events: its (step, value) points in journal order. */
    private static Map<String, List<double[]>> points(List<RunEvent> events, String stage) {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (RunEvent event : events) {
            if (event.type().equals("metric") && stage.equals(event.text(RecipeRunner.STAGE_FIELD))) {
                event.fields().forEach((name, value) -> {
                    if (value instanceof Number n && !name.equals("step")) {
                        points.computeIfAbsent(name, k -> new ArrayList<>())
                                .add(new double[] {event.number("step"), n.doubleValue()});
                    }
                });
            }
        }
        return points;
    }

    private static List<double[]> points(MetricSeries series) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            points.add(new double[] {series.x(i), series.y(i)});
        }
        return points;
    }

    private static Path copy(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = StageCurvesTest.class.getResourceAsStream(FIXTURE + resource)) {
            Files.copy(in, to);
        }
        return to;
    }
}
