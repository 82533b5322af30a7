package org.r1wb.workbench.eval;

import javafx.concurrent.Worker;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * "Evaluate checkpoint…" from the Evaluations tab: {@code r1wb eval} runs in a child agent (this JVM never loads
 * the model), its progress reaches the view, and when it ends the results table shows the checkpoint's row with
 * the values the child printed; a second evaluation is cancelled, which ends its child.
 */
@ExtendWith(ApplicationExtension.class)
class EvaluateFromWorkbenchTest {

    /** What {@code r1wb eval} prints per result: {@code    task metric = value ± stderr (n=N)}. */
    private static final Pattern RESULT = Pattern.compile("^ {4}(\\S+) (\\S+) = (\\S+) ± (\\S+) \\(n=(\\d+)\\)$");

    @TempDir
    static Path dir;

    private static Path workspace;
    private WorkbenchWindow window;

    @BeforeAll
    static void train() throws IOException {
        workspace = SampleWorkspace.create(dir.resolve("workspace"));
        TinyCheckpoint.create(workspace);
    }

    @Start
    void start(Stage stage) throws IOException {
        window = new WorkbenchWindow(stage);
        window.openWorkspace(workspace);
        window.show();
    }

    @Test
    void evaluatesACheckpointInAChildAgentWithProgressAndTheTableShowsItsRow(FxRobot robot) throws Exception {
        assertThat(window.actions().find("run.evaluate")).as("in the command palette").isPresent();
        AtomicReference<EvaluationsView> view = new AtomicReference<>();
        robot.interact(() -> view.set(window.openEvaluations().orElseThrow()));
        EvaluationsViewModel model = view.get().viewModel();
        Screens.waitFor(30, () -> model.loadedProperty().get());
        assertThat(model.tableProperty().get().columns()).as("nothing evaluated yet").isEmpty();

        // the dialog, filled as a user would: the run's newest checkpoint is preselected
        AtomicReference<EvaluationRequest> request = new AtomicReference<>();
        robot.interact(() -> {
            try {
                EvaluateDialog dialog = new EvaluateDialog(CheckpointCatalog.scan(workspace),
                        EvaluateDialog.registry(workspace), TinyCheckpoint.RUN);
                assertThat(dialog.checkpointField().getValue().label()).isEqualTo(TinyCheckpoint.RUN + "@4");
                dialog.suiteField().getSelectionModel().select(TinyCheckpoint.SUITE);
                request.set(dialog.request());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        List<Double> progress = new CopyOnWriteArrayList<>();
        AtomicReference<EvaluationJob> job = new AtomicReference<>();
        robot.interact(() -> {
            job.set(model.evaluate(request.get()));
            job.get().progressProperty().addListener((obs, old, now) -> progress.add(now.doubleValue()));
        });
        Screens.waitFor(180, () -> job.get().isDone());
        assertThat(onFx(() -> job.get().getState())).as(String.valueOf(onFx(() -> job.get().getException())))
                .isEqualTo(Worker.State.SUCCEEDED);
        assertThat(job.get().process().pid()).as("a child process evaluated").isNotEqualTo(ProcessHandle.current().pid());
        assertThat(progress).as("progress from the child's lines").contains(1.0);
        Screens.waitFor(30, () -> !model.tableProperty().get().columns().isEmpty() && !model.loadingProperty().get());

        ResultsTable table = model.tableProperty().get();
        assertThat(table.columns()).extracting(EvaluatedCheckpoint::label).containsExactly(TinyCheckpoint.RUN + "@4");
        int printed = 0;
        for (String line : onFx(() -> job.get().getValue())) {
            Matcher m = RESULT.matcher(line);
            if (m.matches()) {
                printed++;
                ComparisonTable.Row row = table.row(m.group(1), m.group(2)).orElseThrow();
                assertThat(row.cell(0).orElseThrow().value()).as(line).isCloseTo(Double.parseDouble(m.group(3)), within(1e-4));
                assertThat(row.cell(0).orElseThrow().samples()).isEqualTo(Integer.parseInt(m.group(5)));
            }
        }
        assertThat(printed).as("perplexity and bits per byte").isEqualTo(2);
        assertThat(table.row("tinyp-prose", "perplexity").orElseThrow().cell(0).orElseThrow().value())
                .as("a perplexity").isGreaterThan(1.0).isFinite();
        assertThat(model.evaluationOutcomeProperty().get()).startsWith("Evaluated");
        assertThat(view.get().results().getItems()).hasSize(2);
        Screens.shoot(robot, window.scene(), "eval-evaluate.png");

        // a second evaluation (the other checkpoint), cancelled from the view: its child ends
        EvaluatedCheckpoint first = CheckpointCatalog.scan(workspace).stream().filter(c -> c.step() == 2).findFirst().orElseThrow();
        robot.interact(() -> job.set(model.evaluate(new EvaluationRequest(first.folder(), TinyCheckpoint.SUITE, null))));
        Screens.waitFor(30, () -> job.get().process() != null);
        robot.clickOn("#eval-cancel");
        Screens.waitFor(30, () -> job.get().isDone());
        assertThat(onFx(() -> job.get().getState())).isEqualTo(Worker.State.CANCELLED);
        assertThat(job.get().process().waitFor(20, TimeUnit.SECONDS)).as("the child ended").isTrue();
        Screens.waitFor(10, () -> model.evaluationOutcomeProperty().get() != null);
        assertThat(model.evaluationOutcomeProperty().get()).contains("cancelled");
        assertThat(model.evaluationProperty().get()).isNull();
    }

    /** Reads a task's state where JavaFX allows it: on the FX thread. */
    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }
}
