package org.r1wb.model.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.ArrayTokenSource;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The PyTorch backend against the DJL engine on CPU: the same weights give the same logits, the same run spec and
 * starting weights give the same first 20 steps, and weights PyTorch trained come back into a DJL checkpoint.
 */
class TorchParityTest {

    /** Logits agree to float32 round-off: both engines run libtorch kernels in fp32, only op grouping differs. */
    static final double LOGIT_TOLERANCE = 1e-4;
    /**
     * Relative loss difference allowed over 20 steps. Both engines run libtorch's fp32 CPU kernels on the same ops, so
     * they agree to round-off (measured: at most 2e-7); AdamW's normalised update can grow a round-off difference in
     * a near-zero gradient into one of up to lr in a weight, and a near tie in the router's top-k can flip, which is
     * what the margin is for. A real mismatch (another window, a missed decay, clipping, bias update or schedule
     * step) moves the loss by 1e-2 or more within a few steps.
     */
    static final double LOSS_TOLERANCE = 1e-4;
    static final int EOT = 63;

    @TempDir
    Path dir;

    @BeforeAll
    static void torch() throws Exception {
        TorchBackend.assumeAvailable();
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("softmax-auxfree-tied-gqa", new ModelSpec(64, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true,
                        1, 64, new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001))),
                Arguments.of("sigmoid-auxloss-untied-mqa", new ModelSpec(64, 32, 3, 4, 1, 8, 500.0, 32, 1e-6, 0.0, false,
                        1, 48, new MoeSpec(6, 2, 3, 12, GateFunction.SIGMOID, Balancing.AUX_LOSS, 0.05, 0.0))),
                Arguments.of("layer-kinds-dense-between-moe-gqa-first", new ModelSpec(64, 32, 3, 4, 4, 8, 10000.0, 32,
                        1e-5, 0.0, true, 0, 64, new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE,
                        0.01, 0.001)).withLayerKinds(List.of(LayerKind.moe(2), LayerKind.dense(4), LayerKind.moe(4)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void pytorchFollowsTheDjlEngine(String name, ModelSpec model) throws Exception {
        int[] tokens = TorchBackend.phrases(7500, EOT, 1);
        int[] train = Arrays.copyOfRange(tokens, 0, 6000);
        int[] val = Arrays.copyOfRange(tokens, 6000, tokens.length);
        TorchBackend.writeShards(dir.resolve("data/tok"), train, val, 64, EOT);
        RunSpec spec = new RunSpec("parity-" + name, model, new DataRef("data/tok", "tok"), null,
                new OptimizerSpec(1e-2, 1e-3, 0.1, 0.9, 0.95, 3, 1.0), 20, 8, 24, 42, 10, 2, 0, 0, null);

        List<Map<String, ?>> djl = new ArrayList<>();
        Path djlRun = dir.resolve("djl-run");
        TrainResult result = new Trainer().train(spec, new ArrayTokenSource(train, 64), new ArrayTokenSource(val, 64),
                djlRun, (type, fields) -> {
                    if (type.equals("metric")) {
                        djl.add(fields);
                    }
                }, () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);

        logitsAgree(djlRun.resolve("checkpoints").resolve(Checkpoints.FINAL));
        List<RunEvent> torch = trainWithTorch(spec);
        stepsAgree(djl, torch);
        weightsComeBack(spec, val, torch);
    }

    /** The DJL-trained checkpoint, exported, gives the DJL logits in PyTorch. */
    private void logitsAgree(Path checkpoint) throws Exception {
        Path folder = dir.resolve("export");
        ModelExport.exportCheckpoint(checkpoint, folder);
        long[] ids = new long[2 * 24];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(64);
        }
        GradMode.offOnThisThread();
        CheckpointMeta meta = Checkpoints.readMeta(checkpoint);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = Checkpoints.loadModel(checkpoint, meta, manager);
            NDList out = model.apply(new ParameterStore(manager, false),
                    manager.create(ids, new Shape(2, 24)).toType(DataType.INT64, false), false);
            SafetensorsWriter.write(dir.resolve("expected.safetensors"), Map.of(
                    "ids", StoredTensor.ofLongs(ids, 2, 24),
                    "logits", StoredTensor.ofFloats(out.get(0).toFloatArray(), 2, 24, 64),
                    "balance", StoredTensor.ofFloats(new float[] {out.get(1).getFloat()})), Map.of());
        }
        TorchBackend.Result check = TorchBackend.run(dir, 120, TorchBackend.PYTHON,
                TorchBackend.SCRIPTS.resolve("check_logits.py").toString(), folder.toString(),
                dir.resolve("expected.safetensors").toString(), "--tol", String.valueOf(LOGIT_TOLERANCE));
        System.out.println("logits: " + check.output().strip());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("max_abs_diff=");
    }

    /** Trains the same run spec from the DJL engine's starting weights with the PyTorch backend. */
    private List<RunEvent> trainWithTorch(RunSpec spec) throws Exception {
        GradMode.offOnThisThread();
        Path init = dir.resolve("init");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelExport.write(MoeTransformer.create(spec.model(), manager, spec.seed()),
                    ExportConfig.of(spec.model(), 0, spec.seed(), spec.id()), init);
        }
        Path runDir = dir.resolve("runs").resolve(spec.id());
        RunSpecs.save(spec, runDir.resolve("run.json"));
        TorchBackend.Result run = TorchBackend.run(dir, 300, TorchBackend.PYTHON, "-m", "r1wb_torch.train",
                runDir.toString(), "--init", init.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        return EventJournal.read(runDir.resolve("events.jsonl"));
    }

    private static void stepsAgree(List<Map<String, ?>> djl, List<RunEvent> torch) {
        List<Map<String, Object>> torchMetrics = torch.stream().filter(e -> e.type().equals("metric"))
                .map(RunEvent::fields).toList();
        assertThat(torchMetrics).hasSameSizeAs(djl);
        double worst = 0;
        for (int i = 0; i < djl.size(); i++) {
            Map<String, ?> expected = djl.get(i);
            Map<String, Object> actual = torchMetrics.get(i);
            assertThat(number(actual, "step")).isEqualTo(number(expected, "step"));
            String key = expected.containsKey("loss") ? "loss" : "val_loss";
            double relative = Math.abs(number(actual, key) - number(expected, key)) / number(expected, key);
            worst = Math.max(worst, relative);
            assertThat(relative).as("%s at step %s: DJL %s, PyTorch %s", key, expected.get("step"),
                    expected.get(key), actual.get(key)).isLessThan(LOSS_TOLERANCE);
            if (key.equals("loss")) {
                assertThat(number(actual, "lr")).isEqualTo(number(expected, "lr"));
                assertThat(number(actual, "grad_norm")).isCloseTo(number(expected, "grad_norm"),
                        withinPercentage(1));
            }
        }
        System.out.printf("steps: %d metrics, worst relative loss difference %.2e%n", djl.size(), worst);
        assertThat(number(djl.get(djl.size() - 1), "val_loss")).as("the run learned something")
                .isLessThan(number(djl.get(0), "loss") * 0.9);
    }

    /** PyTorch's final weights, imported as a DJL checkpoint, score the validation windows as PyTorch did. */
    private void weightsComeBack(RunSpec spec, int[] val, List<RunEvent> torch) throws Exception {
        Path torchFinal = dir.resolve("runs").resolve(spec.id()).resolve("checkpoints").resolve(Checkpoints.FINAL);
        Path imported = ModelExport.importCheckpoint(torchFinal, dir.resolve("imported"), "final").path();
        double torchVal = torch.stream().filter(e -> e.fields().containsKey("val_loss"))
                .reduce((a, b) -> b).map(e -> number(e.fields(), "val_loss")).orElseThrow();
        // the validation windows both trainers draw: SplittableRandom(~seed), one start per window
        SplittableRandom random = new SplittableRandom(~spec.seed());
        int[][] windows = new int[spec.batchSize() * spec.evalBatches()][];
        for (int w = 0; w < windows.length; w++) {
            int start = (int) random.nextLong(val.length - spec.seqLen());
            windows[w] = Arrays.copyOfRange(val, start, start + spec.seqLen() + 1);
        }
        try (CheckpointModel model = CheckpointModel.open(imported)) {
            double sum = Arrays.stream(model.nll(windows)).sum();
            double djlVal = sum / ((double) windows.length * spec.seqLen());
            assertThat(djlVal).isCloseTo(torchVal, within(1e-4 * torchVal));
        }
    }

    private static double number(Map<String, ?> fields, String key) {
        return ((Number) fields.get(key)).doubleValue();
    }
}
