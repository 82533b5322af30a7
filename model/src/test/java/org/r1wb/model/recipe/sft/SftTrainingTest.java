package org.r1wb.model.recipe.sft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.ArrayTokenSource;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecValidator;
import org.r1wb.model.train.TrainBatch;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SFT stage of the trainer: from a checkpoint, loss on responses only, packed, resumable. */
class SftTrainingTest {

    private static final ModelSpec MODEL = TinySpecs.tiny();
    private static final int USER = 60;
    private static final int END = 61;
    private static final int ASSISTANT = 62;

    @BeforeAll
    static void noGraphsOutsideCollectors() {
        GradMode.offOnThisThread();
    }

    /** {@code <user> a b <end> <assistant> (a+b) <end>} over a, b in 0..7: the sum as one id from 20. */
    static SftData additions() {
        List<SftSequence> sequences = new ArrayList<>();
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b < 8; b++) {
                sequences.add(new SftSequence(new int[] {USER, a, b, END, ASSISTANT, 20 + a + b, END},
                        new boolean[] {false, false, false, false, false, true, true}));
            }
        }
        return new SftData(sequences, 64);
    }

    static RunSpec sft(int steps, int checkpointEvery) {
        return new RunSpec("sft", MODEL, new DataRef("mem", "none"), RunSpec.SFT,
                new OptimizerSpec(1e-2, 1e-3, 0.0, 0, 0, 5, 1.0), steps, 4, 24, 3, 0, 1, checkpointEvery, 0, null,
                "../base/checkpoints/final");
    }

    /** A base model to start from: two pretraining steps on random tokens. */
    static void pretrain(Path base) throws Exception {
        int[] tokens = new SplittableRandom(1).ints(2_000, 0, 64).toArray();
        RunSpec spec = new RunSpec("base", MODEL, new DataRef("mem", "none"), RunSpec.PRETRAIN,
                new OptimizerSpec(1e-3, 1e-4, 0.0, 0, 0, 0, 1.0), 2, 2, 16, 3, 0, 1, 0, 0, null);
        new Trainer().train(spec, new ArrayTokenSource(tokens, 64), new ArrayTokenSource(tokens, 64), base,
                EventSink.NONE, () -> false);
    }

    @Test
    void learnsTheResponsesFromACheckpointAndResumesExactly(@TempDir Path dir) throws Exception {
        pretrain(dir.resolve("base"));
        Map<Integer, Double> losses = new TreeMap<>();
        EventSink record = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("loss")) {
                losses.put(((Number) fields.get("step")).intValue(), ((Number) fields.get("loss")).doubleValue());
            }
        };
        TrainResult result = new Trainer().train(sft(60, 20), additions(), additions(), dir.resolve("sft"), record,
                () -> false);

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(losses).hasSize(60);
        // two response targets per example: the sum (1 of 15 values) and the end of turn
        assertThat(result.initialLoss()).isGreaterThan(2.0);
        assertThat(result.finalLoss()).isLessThan(0.35 * result.initialLoss());
        assertThat(result.checkpoint()).isEqualTo(dir.resolve("sft/checkpoints/final"));

        // stop after step 25 (a checkpoint is written on cancel), resume for three steps: they are the same steps
        AtomicInteger polls = new AtomicInteger();
        TrainResult cancelled = new Trainer().train(sft(60, 20), additions(), additions(), dir.resolve("again"),
                EventSink.NONE, () -> polls.incrementAndGet() > 25);
        assertThat(cancelled.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        Map<Integer, Double> resumed = new TreeMap<>();
        EventSink recordResumed = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("loss")) {
                resumed.put(((Number) fields.get("step")).intValue(), ((Number) fields.get("loss")).doubleValue());
            }
        };
        AtomicInteger resumedPolls = new AtomicInteger();
        new Trainer().resume(sft(60, 20), additions(), additions(), dir.resolve("again"), recordResumed,
                () -> resumedPolls.incrementAndGet() > 3);
        assertThat(resumed.keySet()).containsExactly(26, 27, 28);
        resumed.forEach((step, loss) -> assertThat(loss).as("step %d", step).isEqualTo(losses.get(step)));
    }

    @Test
    void promptTargetsEnterNeitherTheLossNorTheGradient() {
        SplittableRandom random = new SplittableRandom(4);
        TrainBatch batch = additions().batches(2, 24, 1).next();
        int[] changedPrompt = batch.targets().clone();
        int[] changedResponse = batch.targets().clone();
        int changed = 0;
        for (int i = 0; i < changedPrompt.length; i++) {
            if (batch.lossMask()[i] == 0) {
                changedPrompt[i] = random.nextInt(64);
                changed += changedPrompt[i] != batch.targets()[i] ? 1 : 0;
            } else {
                changedResponse[i] = (changedResponse[i] + 1) % 64;
            }
        }
        assertThat(changed).isGreaterThan(10);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(MODEL, manager, 8);
            ParameterStore store = new ParameterStore(manager, false);
            LossAndGradients original = lossAndGradients(model, store, manager, batch, batch.targets());
            LossAndGradients prompt = lossAndGradients(model, store, manager, batch, changedPrompt);
            LossAndGradients response = lossAndGradients(model, store, manager, batch, changedResponse);

            assertThat(prompt.loss).isEqualTo(original.loss);
            for (int p = 0; p < original.gradients.size(); p++) {
                assertThat(prompt.gradients.get(p)).containsExactly(original.gradients.get(p));
            }
            assertThat(response.loss).as("the control: response targets do count").isNotEqualTo(original.loss);
        }
    }

    @Test
    void anSftRunNeedsAnInitCheckpointThatFitsItsModel(@TempDir Path dir) throws Exception {
        RunSpec noInit = sft(5, 0).withInit(null);
        assertThat(RunSpecValidator.validate(noInit)).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("init"));
        assertThatThrownBy(() -> new Trainer().train(sft(5, 0), additions(), additions(), dir.resolve("sft"),
                EventSink.NONE, () -> false)).hasMessageContaining("init: no checkpoint folder");
    }

    private record LossAndGradients(float loss, List<float[]> gradients) {
    }

    private static LossAndGradients lossAndGradients(MoeTransformer model, ParameterStore store, NDManager manager,
                                                     TrainBatch batch, int[] targets) {
        Shape shape = new Shape(batch.batchSize(), batch.seqLen());
        float loss;
        try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray ids = step.create(batch.inputs(), shape).toType(DataType.INT64, false);
            NDArray logits = model.apply(store, ids, true, batch.segments()).get(0);
            NDArray value = NextTokenLoss.masked(logits, step.create(targets, shape), step.create(batch.lossMask(), shape));
            loss = value.getFloat();
            collector.backward(value);
        }
        List<float[]> grads = new ArrayList<>();
        for (Pair<String, Parameter> entry : model.getParameters()) {
            NDArray value = entry.getValue().getArray();
            if (value.hasGradient()) {
                try (NDArray grad = value.getGradient()) {
                    grads.add(grad.toFloatArray());
                    grad.subi(grad);
                }
            }
        }
        return new LossAndGradients(loss, grads);
    }
}
