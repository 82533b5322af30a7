package org.r1wb.workbench.eval;

import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.R1wbCommand;
import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.eval.SampleRecord;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.chart.MetricChartSkin;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.r1wb.workbench.WorkbenchWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Evaluations tab over a store the engine really filled (see {@link EvalFixture}): the results table
 * shows every checkpoint's results with the best of each row highlighted, the sample browser lists the
 * engine's own per-document records and filters them, the chart has a point per checkpoint. Writes
 * {@code docs/screenshots/eval-*.png}.
 */
@ExtendWith(ApplicationExtension.class)
class EvalViewsTest {

    @TempDir
    static Path dir;

    private static EvalFixture fixture;
    private WorkbenchWindow window;

    @BeforeAll
    static void evaluate() throws IOException {
        Path workspace = SampleWorkspace.create(dir.resolve("workspace"));
        fixture = EvalFixture.create(workspace);
    }

    @Start
    void start(Stage stage) throws IOException {
        window = new WorkbenchWindow(stage);
        window.openWorkspace(fixture.workspace);
        window.show();
    }

    @Test
    void resultsTableShowsTheSuiteOnEveryCheckpointWithTheBestOfEachRowHighlighted(FxRobot robot) throws Exception {
        EvaluationsView view = openFromTheTree(robot);
        ResultsTableView table = view.results();

        assertThat(fixture.checkpoints).hasSize(EvalFixture.STEPS / EvalFixture.EVERY);
        List<String> labels = fixture.labels();
        assertThat(table.getColumns().stream().skip(2).map(TableColumn::getText).toList()).isEqualTo(labels);
        List<EvalResult> first = fixture.reports.get(labels.get(0)).stream().flatMap(r -> r.results().stream()).toList();
        assertThat(table.getItems()).hasSize(first.size());
        boolean sawLowerIsBetter = false;
        for (int row = 0; row < table.getItems().size(); row++) {
            ComparisonTable.Row shown = table.getItems().get(row);
            double[] values = new double[labels.size()];
            for (int column = 0; column < labels.size(); column++) {
                EvalResult computed = result(labels.get(column), shown.task(), shown.metric());
                values[column] = computed.value();
                assertThat(table.cellText(row, column)).as(shown.task() + " " + shown.metric() + " on " + labels.get(column))
                        .isEqualTo(ResultsTableView.format(computed.value()) + " ± " + ResultsTableView.format(computed.stderr()));
            }
            boolean lower = shown.metric().equals("perplexity") || shown.metric().equals("bits_per_byte");
            sawLowerIsBetter |= lower;
            double best = values[0];
            for (double value : values) {
                best = lower ? Math.min(best, value) : Math.max(best, value);
            }
            for (int column = 0; column < labels.size(); column++) {
                // every checkpoint tied for the best is highlighted
                assertThat(table.isHighlighted(row, column)).as("highlight of " + shown.metric() + " column " + column)
                        .isEqualTo(values[column] == best);
            }
        }
        assertThat(sawLowerIsBetter).isTrue();

        Screens.shoot(robot, window.scene(), "eval-results.png");
        robot.interact(() -> window.setTheme(Theme.DARK));
        Screens.shoot(robot, window.scene(), "eval-results-dark.png");
        robot.interact(() -> window.setTheme(Theme.LIGHT));
    }

    @Test
    void theCliComparisonPrintsTheTableTheViewShows(FxRobot robot) throws Exception {
        ResultsTable shown = openFromTheTree(robot).viewModel().tableProperty().get();
        List<String> args = new ArrayList<>(List.of("eval", "compare", "-w", fixture.workspace.toString()));
        fixture.checkpoints.forEach(c -> args.add(c.folder().toString()));
        StringWriter out = new StringWriter();
        CommandLine cli = R1wbCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute(args.toArray(String[]::new))).as(out.toString()).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0).split("\\s{2,}")).as("header").containsSequence(fixture.labels().toArray(String[]::new));
        assertThat(lines).hasSize(1 + shown.rows().size());
        Pattern cell = Pattern.compile("(-?[0-9.]+|NaN|Infinity) ± (-?[0-9.]+|NaN)( \\*)?");
        for (int r = 0; r < shown.rows().size(); r++) {
            ComparisonTable.Row row = shown.rows().get(r);
            String line = lines.get(1 + r);
            assertThat(line).startsWith(row.task() + "  " + row.metric() + " ");
            Matcher cells = cell.matcher(line.substring(row.task().length() + row.metric().length() + 2));
            for (int column = 0; column < shown.columns().size(); column++) {
                assertThat(cells.find()).as(line).isTrue();
                EvalCache.StoredResult stored = row.cell(column).orElseThrow();
                assertThat(Double.parseDouble(cells.group(1))).as(line).isCloseTo(stored.value(), within(5e-5));
                assertThat(Double.parseDouble(cells.group(2))).as(line).isCloseTo(stored.stderr(), within(5e-5));
                assertThat(cells.group(3) != null).as("best mark of column " + column + " in " + line)
                        .isEqualTo(row.isBest(column));
            }
        }
    }

    @Test
    void sampleBrowserShowsTheEnginesRecordsAndFiltersToWrongAnswers(FxRobot robot) throws Exception {
        EvaluationsView view = openFromTheTree(robot);
        robot.clickOn(tab("Samples"));
        String last = fixture.labels().get(fixture.labels().size() - 1);
        ComboBox<String> task = robot.lookup("#eval-sample-task").queryComboBox();
        robot.interact(() -> task.getSelectionModel().select("tiny-choice"));
        SampleBrowserModel model = view.viewModel().samples();
        List<SampleRecord> computed = fixture.report(last, "tiny-choice").samples();
        Screens.waitFor(30, () -> !model.loadingProperty().get() && model.samples().size() == computed.size());

        assertThat(model.checkpointProperty().get().label()).isEqualTo(last);
        assertThat(view.samples().table().getItems()).as("the records the engine computed, rebuilt from the store")
                .containsExactlyElementsOf(computed);

        robot.clickOn("#eval-filter-wrong");
        List<SampleRecord> wrong = computed.stream().filter(s -> Boolean.FALSE.equals(s.correct())).toList();
        assertThat(wrong).isNotEmpty();
        assertThat(view.samples().table().getItems()).containsExactlyElementsOf(wrong);
        robot.clickOn("#eval-filter-correct");
        assertThat(view.samples().table().getItems())
                .containsExactlyElementsOf(computed.stream().filter(s -> Boolean.TRUE.equals(s.correct())).toList());
        robot.clickOn("#eval-filter-wrong");

        String needle = wrong.get(0).prompt().substring(0, 2);
        robot.clickOn("#eval-sample-search").write(needle);
        List<SampleRecord> found = wrong.stream().filter(s -> s.prompt().contains(needle) || s.target().contains(needle)
                || s.output().contains(needle) || (s.extracted() != null && s.extracted().contains(needle))).toList();
        assertThat(view.samples().table().getItems()).containsExactlyElementsOf(found).isNotEmpty();
        robot.interact(() -> model.searchProperty().set(""));
        assertThat(view.samples().table().getItems()).containsExactlyElementsOf(wrong);

        // the detail pane shows the whole prompt and the model's answer of the row clicked
        robot.clickOn(robot.lookup(".eval-samples .table-row-cell").nth(wrong.size() - 1).queryAs(Node.class));
        SampleRecord clicked = wrong.get(wrong.size() - 1);
        assertThat(robot.lookup("#eval-sample-prompt").queryAs(TextArea.class).getText()).isEqualTo(clicked.prompt());
        assertThat(robot.lookup("#eval-sample-output").queryAs(TextArea.class).getText()).isEqualTo(clicked.output());
        Screens.shoot(robot, window.scene(), "eval-samples.png");

        // another task keeps the filter: the generated sums the model got wrong
        robot.interact(() -> task.getSelectionModel().select("tiny-sums"));
        List<SampleRecord> sums = fixture.report(last, "tiny-sums").samples();
        Screens.waitFor(30, () -> !model.loadingProperty().get() && model.samples().size() == sums.size());
        assertThat(view.samples().table().getItems())
                .containsExactlyElementsOf(sums.stream().filter(s -> Boolean.FALSE.equals(s.correct())).toList());
    }

    @Test
    void chartHasOnePointPerCheckpointByStep(FxRobot robot) throws Exception {
        EvaluationsView view = openFromTheTree(robot);
        robot.clickOn(tab("Over steps"));
        ComboBox<MetricTrendModel.TaskMetric> metric = robot.lookup("#eval-trend-metric").queryComboBox();
        robot.interact(() -> metric.getSelectionModel().select(new MetricTrendModel.TaskMetric("tiny-prose", "perplexity")));
        robot.sleep(200);

        MetricSeries series = view.viewModel().trend().series();
        assertThat(series.size()).isEqualTo(fixture.checkpoints.size());
        for (int i = 0; i < fixture.checkpoints.size(); i++) {
            EvaluatedCheckpoint checkpoint = fixture.checkpoints.get(i);
            assertThat(series.x(i)).isEqualTo(checkpoint.step());
            assertThat(series.y(i)).isEqualTo(result(checkpoint.label(), "tiny-prose", "perplexity").value());
        }
        // what is drawn, not only what the model holds: the chooser replaced the first metric's points
        MetricChartSkin skin = (MetricChartSkin) view.trend().chart().getSkin();
        Screens.waitFor(5, () -> skin.drawn(series) != null);
        assertThat(skin.drawn(series).pointYs()).containsExactly(fixture.checkpoints.stream()
                .mapToDouble(c -> result(c.label(), "tiny-prose", "perplexity").value()).toArray());

        Screens.shoot(robot, window.scene(), "eval-trend.png");
    }

    /** Double-clicks the Evaluations entry of the project tree and waits for the table to be read. */
    private EvaluationsView openFromTheTree(FxRobot robot) throws Exception {
        robot.doubleClickOn(robot.from(window.projectTree()).lookup(labelled("Evaluations")).queryAs(Node.class));
        AtomicReference<EvaluationsView> view = new AtomicReference<>();
        robot.interact(() -> view.set(window.openEvaluations().orElseThrow()));
        Screens.waitFor(30, () -> view.get().viewModel().loadedProperty().get());
        assertThat(view.get().viewModel().problemProperty().get()).isNull();
        return view.get();
    }

    private static EvalResult result(String label, String task, String metric) {
        TaskReport report = fixture.report(label, task);
        return report.results().stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow();
    }

    private static Predicate<Node> labelled(String text) {
        return node -> node instanceof Labeled labeled && text.equals(labeled.getText());
    }

    private static Predicate<Node> tab(String text) {
        return node -> node.getStyleClass().contains("tab") && node.lookup(".tab-label") instanceof Labeled l
                && text.equals(l.getText());
    }
}
