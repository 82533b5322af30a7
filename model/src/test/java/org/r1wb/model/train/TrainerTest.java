package org.r1wb.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainerTest {

    private static final ModelSpec MODEL = TinySpecs.tiny();

    /** A Markov chain over 64 ids where each id has two likely successors: learnable, but not trivially. */
    static TokenSource markov(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] tokens = new int[length];
        for (int i = 1; i < length; i++) {
            int prev = tokens[i - 1];
            double u = random.nextDouble();
            tokens[i] = u < 0.6 ? (prev * 5 + 1) % 64 : u < 0.9 ? (prev + 7) % 64 : random.nextInt(64);
        }
        return new ArrayTokenSource(tokens, 64);
    }

    static RunSpec run(int steps, long seed, double lr) {
        return new RunSpec("t", MODEL, new DataRef("mem", "none"), null,
                new OptimizerSpec(lr, lr / 10, 0.01, 0, 0, 3, 1.0), steps, 8, 24, seed, 20, 2, 10, 2, null);
    }

    @Test
    void lowersLossJournalsEventsAndWritesCheckpointsThatReloadWithTheSameValidationLoss(@TempDir Path runDir)
            throws Exception {
        RunSpec spec = run(40, 3, 1e-2);
        TokenSource train = markov(20_000, 1);
        TokenSource val = markov(4_000, 2);
        Path journal = runDir.resolve("events.jsonl");
        TrainResult result;
        try (EventJournal events = EventJournal.openForAppend(journal, spec.id())) {
            result = new Trainer().train(spec, train, val, runDir, events, () -> false);
        }

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(result.steps()).isEqualTo(40);
        assertThat(result.initialLoss()).isCloseTo(Math.log(64), within(0.3));
        assertThat(result.finalLoss()).isLessThan(result.initialLoss() - 1.0);
        assertThat(result.finalValLoss()).isLessThan(result.initialLoss() - 1.0);

        List<RunEvent> events = EventJournal.read(journal);
        assertThat(of(events, "status")).extracting(e -> e.text("state")).containsExactly("running", "finished");
        assertThat(of(events, "metric")).filteredOn(e -> e.fields().containsKey("loss")).hasSize(40)
                .allSatisfy(e -> assertThat(e.fields()).containsKeys("step", "lr", "grad_norm", "tokens_per_s", "aux_loss"));
        assertThat(of(events, "metric")).filteredOn(e -> e.fields().containsKey("val_loss"))
                .extracting(e -> e.number("step")).containsExactly(20.0, 40.0);
        assertThat(of(events, "routing")).hasSize(2).allSatisfy(e -> {
            assertThat((List<?>) e.fields().get("load")).hasSize(4);
            assertThat((List<?>) e.fields().get("bias")).hasSize(4);
            assertThat(e.number("layer")).isEqualTo(1.0);
        });
        List<RunEvent> checkpoints = of(events, "checkpoint");
        assertThat(checkpoints).extracting(e -> e.number("step")).containsExactly(10.0, 20.0, 30.0, 40.0);

        Path checkpointsDir = runDir.resolve("checkpoints");
        try (Stream<Path> names = Files.list(checkpointsDir)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("step-20", "step-30", "final");
        }
        Path finalDir = checkpointsDir.resolve(Checkpoints.FINAL);
        assertThat(result.checkpoint()).isEqualTo(finalDir);
        String digest = checkpoints.get(3).text("digest");
        assertThat(digest).isEqualTo(Checkpoints.sha256(finalDir.resolve(Checkpoints.WEIGHTS)));

        // the trainer's validation windows, rebuilt, scored by the reloaded checkpoint
        WindowSampler sampler = new WindowSampler(val, spec.batchSize(), spec.seqLen(), ~spec.seed());
        List<int[]> windows = new ArrayList<>();
        for (int batch = 0; batch < spec.evalBatches(); batch++) {
            TrainBatch b = sampler.next();
            for (int row = 0; row < b.batchSize(); row++) {
                int[] window = new int[b.seqLen() + 1];
                System.arraycopy(b.inputs(), row * b.seqLen(), window, 0, b.seqLen());
                window[b.seqLen()] = b.targets()[row * b.seqLen() + b.seqLen() - 1];
                windows.add(window);
            }
        }
        try (CheckpointModel model = CheckpointModel.open(finalDir)) {
            assertThat(model.checkpointDigest()).isEqualTo(digest);
            assertThat(model.meta().step()).isEqualTo(40);
            double[] nll = model.nll(windows.toArray(new int[0][]));
            double meanPerToken = 0;
            for (double v : nll) {
                meanPerToken += v / spec.seqLen();
            }
            meanPerToken /= nll.length;
            assertThat(meanPerToken).isCloseTo(result.finalValLoss(), within(1e-4));

            int[] continuation = model.greedy(new int[] {1, 6, 31}, 5);
            assertThat(continuation).hasSize(5);
            assertThat(java.util.Arrays.stream(continuation).allMatch(id -> id >= 0 && id < 64)).isTrue();
        }
    }

    @Test
    void sameSeedGivesTheSameLossesAndAnotherSeedDoesNot(@TempDir Path dir) throws Exception {
        TokenSource train = markov(5_000, 1);
        List<Double> first = losses(run(4, 9, 1e-2), train, dir.resolve("a"));
        List<Double> again = losses(run(4, 9, 1e-2), train, dir.resolve("b"));
        List<Double> other = losses(run(4, 10, 1e-2), train, dir.resolve("c"));
        assertThat(again).containsExactlyElementsOf(first);
        assertThat(other.get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void cancellationStopsWithACheckpoint(@TempDir Path dir) throws Exception {
        AtomicInteger polls = new AtomicInteger();
        List<String> states = new ArrayList<>();
        EventSink sink = (type, fields) -> {
            if (type.equals("status")) {
                states.add((String) fields.get("state"));
            }
        };
        TrainResult result = new Trainer().train(run(10, 1, 1e-2), markov(5_000, 1), markov(2_000, 2), dir, sink,
                () -> polls.incrementAndGet() > 3);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        assertThat(result.steps()).isEqualTo(3);
        assertThat(result.checkpoint()).isEqualTo(dir.resolve("checkpoints").resolve("step-3"));
        assertThat(Checkpoints.readMeta(result.checkpoint()).step()).isEqualTo(3);
        assertThat(states).containsExactly("running", "cancelled");
    }

    @Test
    void aDivergingRunStopsNamingTheStepAndKeepsItsLastCheckpointIntact(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> statuses = new ArrayList<>();
        EventSink sink = (type, fields) -> {
            if (type.equals("status")) {
                statuses.add(fields);
            }
        };
        RunSpec exploding = new RunSpec("t", MODEL, new DataRef("mem", "none"), null,
                new OptimizerSpec(1e30, 1e30, 0, 0, 0, 0, 0), 8, 4, 16, 1, 0, 1, 1, 0, null);
        TrainResult result = new Trainer().train(exploding, markov(5_000, 1), markov(2_000, 2), dir, sink, () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FAILED);
        Map<String, ?> failed = statuses.get(statuses.size() - 1);
        assertThat(failed.get("state")).isEqualTo("failed");
        int step = ((Number) failed.get("step")).intValue();
        assertThat(step).isBetween(2, 8);
        assertThat((String) failed.get("message")).endsWith("at step " + step);

        // the checkpoint of the step before is named, complete and unchanged; nothing later was written
        Path last = dir.resolve((String) failed.get("last_checkpoint"));
        assertThat(last).isEqualTo(dir.resolve("checkpoints").resolve(Checkpoints.stepName(step - 1)));
        assertThat(result.checkpoint()).isEqualTo(last);
        try (CheckpointModel model = CheckpointModel.open(last)) { // verifies the weights against meta.json's digest
            assertThat(model.meta().step()).isEqualTo(step - 1);
            assertThat(model.meta().trainLoss()).isFinite();
        }
        try (Stream<Path> names = Files.list(dir.resolve("checkpoints"))) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .doesNotContain(Checkpoints.FINAL, Checkpoints.stepName(step)).allMatch(n -> n.startsWith("step-"));
        }
    }

    @Test
    void anOutOfMemoryMessageGivesTheEstimateAndABatchSizeThatFits() {
        String message = Trainer.outOfMemory(run(10, 1, 1e-2));
        assertThat(message).startsWith("out of memory at batch 8 × seq 24: the estimate is ")
                .contains("AdamW state", "activations", "set batchSize to at most");
        long fitting = Long.parseLong(message.replaceAll(".*at most (\\d+).*", "$1"));
        assertThat(fitting).as("a tiny model fits many windows in half this machine").isGreaterThan(8);
    }

    @Test
    void dataWithALargerVocabularyIsRefusedBeforeTraining(@TempDir Path dir) {
        TokenSource wide = new ArrayTokenSource(new int[1000], 1000);
        List<String> states = new ArrayList<>();
        EventSink sink = (type, fields) -> states.add(type + ":" + fields.get("state"));
        assertThatThrownBy(() -> new Trainer().train(run(5, 1, 1e-2), wide, wide, dir, sink, () -> false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000").hasMessageContaining("vocabSize (64)");
        assertThat(states).containsExactly("status:failed");
        assertThat(dir.resolve("checkpoints")).doesNotExist();
    }

    private static List<Double> losses(RunSpec spec, TokenSource train, Path dir) throws Exception {
        List<Double> losses = new ArrayList<>();
        EventSink sink = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("loss")) {
                losses.add(((Number) fields.get("loss")).doubleValue());
            }
        };
        new Trainer().train(spec, train, markov(2_000, 2), dir, sink, () -> false);
        return losses;
    }

    private static List<RunEvent> of(List<RunEvent> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }
}
