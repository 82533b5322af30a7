package org.r1wb.workbench.inspect;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.R1wbCommand;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.resources.SampleProse;
import org.r1wb.views.attention.AttentionMap;
import org.r1wb.views.routing.TokenHeatmapSkin;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe text edited in a run's tab and captured by a child agent: a tiny run is trained, the user types a text
 * and presses Capture; {@code r1wb inspect} runs in a child process, and when it ends the attention and
 * routing-tokens views show its capture, the journal's numbers. A second capture, cancelled, ends its child and
 * leaves the views as they were.
 */
@ExtendWith(ApplicationExtension.class)
class ProbeCapturerTest {

    private static final String PROBE = "The cat sat on the mat.";

    @TempDir
    static Path workspace;

    private final InspectionModel model = new InspectionModel();
    private ProbeCapturer capturer;
    private InspectorView view;
    private Path runDir;

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        runDir = workspace.resolve("runs/tiny");
        capturer = new ProbeCapturer(runDir, new LocalRunLauncher(List.of("-Xmx512m")), model);
        view = new InspectorView(model, null, capturer);
        Scene scene = new Scene(view, 1200, 800);
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void probeTypedInTheTabIsCapturedByAChildAgentAndShown(FxRobot robot) throws Exception {
        trainTinyRun();
        robot.interact(() -> view.show("Attention"));
        ProbeBar bar = robot.from(view.getSelectionModel().getSelectedItem().getContent())
                .lookup("." + ProbeBar.STYLE_CLASS).queryAs(ProbeBar.class);
        robot.clickOn(bar.textField()).write(PROBE);
        assertThat(capturer.probeTextProperty().get()).isEqualTo(PROBE);
        robot.clickOn(bar.captureButton());
        assertThat(capturer.runningProperty().get()).isTrue();
        Screens.waitFor(180, () -> !capturer.runningProperty().get());
        assertThat(capturer.messageProperty().get()).startsWith("Captured");

        List<RunEvent> journal = EventJournal.read(runDir.resolve("events.jsonl"));
        List<RunEvent> attention = journal.stream().filter(e -> "attention".equals(e.type())).toList();
        List<RunEvent> routing = journal.stream().filter(e -> "routing_tokens".equals(e.type())).toList();
        assertThat(attention).as("2 layers × 4 heads").hasSize(8);
        assertThat(routing).as("one per MoE layer").isNotEmpty();
        assertThat(String.join("", EventFields.strings(attention.get(0), "tokens"))).isEqualTo(PROBE);
        for (RunEvent captured : attention) {
            AttentionMap shown = model.attention().get(EventFields.integer(captured, "layer"), EventFields.integer(captured, "head"));
            double[][] weights = EventFields.matrix(captured, "weights");
            assertThat(shown.tokens()).isEqualTo(EventFields.strings(captured, "tokens"));
            for (int[] cell : new int[][] {{0, 0}, {3, 1}, {weights.length - 1, 2}}) {
                assertThat(shown.weight(cell[0], cell[1])).isEqualTo(weights[cell[0]][cell[1]]);
            }
        }
        RunEvent lastLayer = routing.get(routing.size() - 1);
        robot.interact(() -> {
            view.show("Expert routing");
            view.loadHeatmap().layerProperty().set(EventFields.integer(lastLayer, "layer"));
        });
        WaitForAsyncUtils.waitForFxEvents();
        TokenHeatmapSkin tokens = (TokenHeatmapSkin) view.tokenHeatmap().getSkin();
        assertThat(tokens.shown().tokens()).isEqualTo(EventFields.strings(lastLayer, "tokens"));
        assertThat(tokens.shown().layer()).isEqualTo(EventFields.integer(lastLayer, "layer"));

        // a second capture, cancelled at once: its child ends and nothing new is shown
        robot.interact(() -> {
            capturer.probeTextProperty().set("A dog ran.");
            capturer.capture();
            capturer.cancel();
        });
        Screens.waitFor(30, () -> !capturer.runningProperty().get());
        assertThat(capturer.messageProperty().get()).isEqualTo("Capture cancelled");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("A dog ran."))).isEmpty();
        assertThat(EventJournal.read(runDir.resolve("events.jsonl"))).hasSameSizeAs(journal);
        assertThat(model.attention().get(0, 0).tokens()).isEqualTo(EventFields.strings(attention.get(0), "tokens"));
    }

    /** A 2-layer MoE on a few KB of prose, trained in-process for a few steps, with a final checkpoint. */
    private void trainTinyRun() throws IOException {
        Path data = workspace.resolve("data/tiny");
        List<String> docs = SampleProse.paragraphs(7, 60);
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(300).build().train(docs);
        try (TokenShardWriter writer = new TokenShardWriter(data, tokenizer, "<|endoftext|>", new DocumentSplitter(0.15, 7))) {
            for (String doc : docs) {
                writer.add(doc);
            }
            writer.finish("tiny", null);
        }
        ModelSpec modelSpec = new ModelSpec(320, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
        OptimizerSpec optimizer = new OptimizerSpec(3e-3, 3e-4, 0.1, 0.9, 0.95, 2, 1.0);
        Files.createDirectories(runDir);
        RunSpecs.save(new RunSpec("tiny", modelSpec, new DataRef("data/tiny", "tiny"), RunSpec.PRETRAIN, optimizer, 4, 4, 32, 11,
                1, 1, 4, 2, RunSpec.CPU), runDir.resolve("run.json"));
        StringWriter out = new StringWriter();
        var line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(out, true));
        assertThat(line.execute("train", "--run-dir", runDir.toString(), "--device-every", "0")).as(out.toString()).isZero();
    }
}
