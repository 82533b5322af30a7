package org.r1wb.workbench;

import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.Tab;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.chart.MetricChartSkin;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.workbench.model.ModelEditor;
import org.r1wb.workbench.run.RunMonitor;
import org.r1wb.workbench.run.RunState;
import org.r1wb.workbench.run.RunView;
import org.r1wb.workbench.run.RunViewModel;
import org.r1wb.workbench.workspace.WorkspaceItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The shell on a real sample workspace, driven through the robot like a user would. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchShellTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;
    private DemoRun finished;
    private DemoRun live;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        finished = DemoRun.create(ws, "demo-1", "pretrain").status("running", "started").steps(200, 50);
        finished.status("finished", "completed 200 steps").close();
        live = DemoRun.create(ws, "live-1", "sft").status("running", "training").steps(50, 0);

        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @AfterEach
    void closeJournal() throws IOException {
        live.close();
    }

    @Test
    void treeShowsThePipelineTheModelAndTheRuns(FxRobot robot) {
        List<WorkspaceItem> items = new ArrayList<>();
        collect(window.projectTree().getRoot(), items);

        assertThat(items).extracting(WorkspaceItem::detail)
                .contains("sample.pipeline.json", "sample.model.json");
        assertThat(items).extracting(WorkspaceItem::label).contains("demo-1", "live-1");
        assertThat(robot.lookup(labelled("sample.pipeline.json")).tryQuery()).isPresent();
        assertThat(robot.lookup(labelled("sample.model.json")).tryQuery()).isPresent();
        assertThat(robot.lookup(labelled("demo-1")).tryQuery()).isPresent();
    }

    @Test
    void doubleClickingARunChartsEveryMetricOfItsJournal(FxRobot robot) throws TimeoutException {
        robot.doubleClickOn(robot.lookup(labelled("demo-1")).queryAs(Node.class));

        RunView view = runViewOf("demo-1");
        RunViewModel vm = view.viewModel();
        waitFor(() -> vm.loadedProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        MetricSeries loss = vm.lossSeries();
        assertThat(view.lossChart().getSeries()).containsExactly(loss, vm.valLossSeries());
        assertThat(loss.size()).isEqualTo(finished.trainPoints.size()).isEqualTo(200);
        for (int i : new int[] {0, 1, 99, 199}) {
            assertThat(loss.x(i)).isEqualTo(finished.trainPoints.get(i)[0]);
            assertThat(loss.y(i)).isEqualTo(finished.trainPoints.get(i)[1]);
        }
        assertThat(vm.valLossSeries().size()).isEqualTo(4);
        assertThat(vm.valLossSeries().y(3)).isEqualTo(finished.valPoints.get(3)[1]);

        MetricChartSkin skin = (MetricChartSkin) view.lossChart().getSkin();
        Screens.waitFor(5, () -> skin.drawn(loss) != null);
        // drawn decimated to the plot's pixel columns, which keeps each column's last point
        double[] drawnXs = skin.drawn(loss).pointXs();
        assertThat(drawnXs).isNotEmpty().hasSizeLessThanOrEqualTo(200);
        assertThat(drawnXs[drawnXs.length - 1]).isEqualTo(finished.trainPoints.get(199)[0]);

        assertThat(vm.stateProperty().get()).isEqualTo(RunState.FINISHED);
        assertThat(vm.stageProperty().get()).isEqualTo("pretrain");
        assertThat(robot.lookup(labelled("finished")).tryQuery()).isPresent();
        assertThat(robot.lookup(labelled(String.format(Locale.ROOT, "%.4f",
                finished.trainPoints.get(199)[1]))).tryQuery()).isPresent();
        assertThat(monitorOf("demo-1").isTailing()).as("a finished run is not tailed").isFalse();
    }

    @Test
    void aModelOpensInTheModelEditorWithItsText(FxRobot robot) throws TimeoutException {
        robot.doubleClickOn(robot.lookup(labelled("sample.model.json")).queryAs(Node.class));

        Tab tab = window.editors().getSelectionModel().getSelectedItem();
        assertThat(tab.getText()).isEqualTo("sample.model.json");
        ModelEditor editor = (ModelEditor) tab.getContent();
        waitFor(() -> editor.jsonText().getText().contains("routedExperts"));

        assertThat(editor.jsonText().getText()).contains("\"routedExperts\" : 8");
        assertThat(editor.spec().dModel()).isEqualTo(128);
        assertThat(editor.field("moe.topK").orElseThrow().getValue()).isEqualTo(2);
    }

    @Test
    void aLiveRunGrowsAsItsJournalIsAppendedAndStopsTailingWhenItEnds(FxRobot robot) throws TimeoutException {
        robot.doubleClickOn(robot.lookup(labelled("live-1")).queryAs(Node.class));
        RunViewModel vm = runViewOf("live-1").viewModel();
        waitFor(() -> vm.lossSeries().size() == 50);
        RunMonitor monitor = monitorOf("live-1");
        assertThat(monitor.isTailing()).isTrue();

        live.steps(30, 10);
        long written = live.journal.lastSeq();
        waitFor(() -> vm.lastSeq() == written);
        assertThat(vm.lossSeries().size()).isEqualTo(80);
        assertThat(vm.lossSeries().y(79)).isEqualTo(live.trainPoints.get(79)[1]);
        assertThat(vm.valLossSeries().size()).isEqualTo(3);
        assertThat(vm.stepProperty().get()).isEqualTo(80);

        live.status("finished", "done");
        waitFor(() -> vm.stateProperty().get() == RunState.FINISHED);
        waitFor(() -> !monitor.isTailing());
    }

    @Test
    void closingARunTabStopsItsTail(FxRobot robot) throws TimeoutException {
        robot.doubleClickOn(robot.lookup(labelled("live-1")).queryAs(Node.class));
        RunViewModel vm = runViewOf("live-1").viewModel();
        waitFor(() -> vm.loadedProperty().get());
        RunMonitor monitor = monitorOf("live-1");
        waitFor(monitor::isTailing);

        robot.interact(() -> window.editors().getTabs().clear());
        waitFor(() -> !monitor.isTailing());
        live.steps(5, 0);
        WaitForAsyncUtils.sleep(2 * RunMonitor.POLL_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.lossSeries().size()).isEqualTo(50);
    }

    private RunView runViewOf(String runId) {
        Tab tab = window.editors().getSelectionModel().getSelectedItem();
        assertThat(tab).as("a tab is open").isNotNull();
        assertThat(tab.getText()).isEqualTo(runId);
        return window.runView(tab).orElseThrow();
    }

    private RunMonitor monitorOf(String runId) {
        return window.editors().getTabs().stream()
                .filter(tab -> tab.getText().equals(runId))
                .findFirst()
                .flatMap(window::runMonitor)
                .orElseThrow();
    }

    private static Predicate<Node> labelled(String text) {
        return node -> node instanceof Labeled labeled && text.equals(labeled.getText()) && node.isVisible();
    }

    private static void collect(TreeItem<WorkspaceItem> node, List<WorkspaceItem> out) {
        out.add(node.getValue());
        node.getChildren().forEach(child -> collect(child, out));
    }

    private static void waitFor(BooleanSupplier condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition::getAsBoolean);
    }
}
