package org.r1wb.model.recipe.distill;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.ArrayTokenSource;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.Trainer;
import org.r1wb.model.train.TrainingData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistillStageTest {

    /** The teacher: the tiny MoE (V 64). */
    private static final ModelSpec TEACHER = TinySpecs.tiny();
    /** The student: one dense layer, D 16, the teacher's vocabulary. */
    private static final ModelSpec STUDENT = dense(64);
    private static final OptimizerSpec ADAM = new OptimizerSpec(1e-2, 1e-2, 0.0, 0, 0, 0, 1.0);
    private static final TrainingData TRAIN = chain(4000, 1);
    private static final TrainingData VAL = chain(1000, 2);

    @TempDir
    static Path shared;
    private static Path teacher;

    /** A teacher that has learnt the chain, so its next-token distributions are far from uniform. */
    @BeforeAll
    static void trainTeacher() throws Exception {
        RunSpec spec = new RunSpec("teacher", TEACHER, new DataRef("chain", null), RunSpec.PRETRAIN, ADAM, 40, 8, 16,
                7, 40, 1, 40, 1, null);
        TrainResult result = new Trainer().resume(spec, TRAIN, VAL, shared.resolve("teacher"), (type, fields) -> {
        }, () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        teacher = result.checkpoint();
    }

    @Test
    void aShortDistillationLowersTheStudentsKlToTheTeacherOnHeldOutWindows(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> steps = new ArrayList<>();
        List<Map<String, ?>> evals = new ArrayList<>();
        TrainResult result = stage(STUDENT, 30, 10).run(dir, metrics(steps, evals), () -> false);

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(evals).extracting(m -> (Object) m.get("step")).containsExactly(0, 10, 20, 30);
        double before = (double) evals.get(0).get("val_kl");
        double after = (double) evals.get(evals.size() - 1).get("val_kl");
        assertThat(before).as("an untrained student is far from the trained teacher").isGreaterThan(0.5);
        assertThat(after).isLessThan(before / 2);
        assertThat(steps).hasSize(30).allSatisfy(m -> {
            assertThat(m.keySet()).contains("loss", "kl", "ce", "lr", "grad_norm");
            // α 0, τ 2: the loss is τ²·KL alone
            assertThat((double) m.get("loss")).isCloseTo(4 * (double) m.get("kl"), within(1e-5));
        });
        assertThat(Checkpoints.readMeta(result.checkpoint()).model()).isEqualTo(STUDENT);
        assertThat(Checkpoints.readMeta(result.checkpoint()).valLoss()).isEqualTo(after);
    }

    @Test
    void aRunCancelledAndResumedRepeatsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> straight = new ArrayList<>();
        stage(STUDENT, 6, 2).run(dir.resolve("a"), metrics(straight, new ArrayList<>()), () -> false);

        List<Map<String, ?>> interrupted = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("loss")) {
                interrupted.add(fields);
            } else if (type.equals("status")) {
                messages.add(String.valueOf(fields.get("message")));
            }
        };
        TrainResult cancelled = stage(STUDENT, 6, 2).run(dir.resolve("b"), events, () -> interrupted.size() >= 3);
        assertThat(cancelled.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        assertThat(cancelled.checkpoint().getFileName().toString()).isEqualTo("step-3");
        TrainResult resumed = stage(STUDENT, 6, 2).run(dir.resolve("b"), events, () -> false);

        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(messages).anyMatch(m -> m.startsWith("resuming") && m.endsWith("from step 3 of 6"));
        assertThat(interrupted).hasSize(6);
        for (int i = 0; i < 6; i++) {
            for (String field : List.of("step", "loss", "kl", "ce", "grad_norm")) {
                assertThat(interrupted.get(i).get(field)).as("step %d %s", i + 1, field)
                        .isEqualTo(straight.get(i).get(field));
            }
        }
        assertThat(Checkpoints.readMeta(resumed.checkpoint()).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(dir.resolve("a/checkpoints/final")).weightsDigest());
        // the control: the steps differ, so equal runs are not equal by accident
        assertThat(straight.stream().map(m -> m.get("loss")).distinct().count()).isGreaterThan(1);
    }

    @Test
    void aStudentWithAnotherVocabularyIsRefusedBeforeTraining(@TempDir Path dir) {
        assertThatThrownBy(() -> stage(dense(80), 2, 1).run(dir, (type, fields) -> {
        }, () -> false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary of 64 ids and the student 80")
                .hasMessageContaining("set the student's vocabSize to 64");
        assertThat(dir.resolve("checkpoints")).doesNotExist();
    }

    private static DistillStage stage(ModelSpec student, int steps, int checkpointEvery) {
        DistillStage.Config config = new DistillStage.Config("distill-test", student, 11, steps, 8, 16, ADAM, 2.0,
                0.0, 10, 2, checkpointEvery, 2, teacher);
        return new DistillStage(config, TRAIN, VAL);
    }

    private static EventSink metrics(List<Map<String, ?>> steps, List<Map<String, ?>> evals) {
        return (type, fields) -> {
            if (type.equals("metric")) {
                (fields.containsKey("val_kl") ? evals : steps).add(fields);
            }
        };
    }

    private static ModelSpec dense(int vocab) {
        return new ModelSpec(vocab, 16, 1, 2, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 32, null);
    }

    /** A learnable stream: each id is 3·previous + 1 or + 2 (mod 64), chosen at random. */
    private static TrainingData chain(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] tokens = new int[length];
        for (int i = 1; i < length; i++) {
            tokens[i] = (3 * tokens[i - 1] + 1 + random.nextInt(2)) % 64;
        }
        return TrainingData.windows(new ArrayTokenSource(tokens, 64));
    }
}
