package org.r1wb.model.recipe.dpo;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.recipe.sft.SftExample;
import org.r1wb.model.recipe.sft.SftSequence;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DpoTest {

    static final ModelSpec SPEC = TinySpecs.tiny();
    private static final long SEED = 13;

    /** Prompt characters mod 64, then the response as ids {@code c − '0'}; the loss covers the response. */
    static final Function<SftExample, SftSequence> ENCODER = example -> {
        int[] prompt = example.prompt().chars().map(c -> c % 64).toArray();
        int[] response = example.response().chars().map(c -> c - '0').toArray();
        int[] tokens = new int[prompt.length + response.length];
        boolean[] flags = new boolean[tokens.length];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        System.arraycopy(response, 0, tokens, prompt.length, response.length);
        for (int i = prompt.length; i < tokens.length; i++) {
            flags[i] = true;
        }
        return new SftSequence(tokens, flags);
    };

    @Test
    void theLossEqualsTheHandComputedValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // pair 1: (−1.0 + 1.2) − (−1.5 + 1.2) = 0.5, pair 2: (−2.0 + 2.0) − (−1.0 + 1.5) = −0.5; β = 0.5
            DpoLoss.Result result = new DpoLoss(0.5).compute(manager.create(new float[] {-1.0f, -2.0f}),
                    manager.create(new float[] {-1.5f, -1.0f}), manager.create(new float[] {-1.2f, -2.0f}),
                    manager.create(new float[] {-1.2f, -1.5f}));
            // softplus(−0.25) = ln(1 + e^−0.25) = 0.5759394; softplus(0.25) = 0.5759394 + 0.25; mean 0.7009394
            assertThat(result.loss().getFloat()).isCloseTo(0.7009394f, within(1e-6f));
            assertThat(result.margin()).isCloseTo(0.0, within(1e-7));
            assertThat(result.accuracy()).isEqualTo(0.5);
            assertThat(result.chosenReward()).isCloseTo(0.05, within(1e-6));     // 0.5 · (0.2 + 0) / 2
            assertThat(result.rejectedReward()).isCloseTo(0.05, within(1e-6));   // 0.5 · (−0.3 + 0.5) / 2
            // a large margin stays finite: softplus(−50) ≈ e^−50, softplus(50) = 50
            DpoLoss.Result far = new DpoLoss(1).compute(manager.create(new float[] {0f, -100f}),
                    manager.create(new float[] {-100f, 0f}), manager.create(new float[] {-50f, -50f}),
                    manager.create(new float[] {-50f, -50f}));
            assertThat(far.loss().getFloat()).isCloseTo(50f, within(1e-4f));
        }
    }

    @Test
    void dpoRaisesTheChosenOverRejectedMarginOnHeldOutPairs(@TempDir Path dir) throws Exception {
        List<PreferencePair> heldOut = pairs(16, 99);
        List<Map<String, ?>> evals = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        TrainResult result = stage(dir, 30, 10, heldOut).run(dir.resolve("run"), (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("val_margin")) {
                evals.add(fields);
            } else if (type.equals("log")) {
                logs.add((String) fields.get("message"));
            }
        }, () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(dir.resolve("run").resolve(ReferenceCache.FILE)).exists();
        assertThat(logs).singleElement().asString().startsWith("reference log-probs of 80 responses computed");

        // measured apart from the stage: the held-out log π(chosen) − log π(rejected), before and after
        double before = heldOutMargin(dir.resolve("init/final"), heldOut);
        double after = heldOutMargin(result.checkpoint(), heldOut);
        assertThat(after).isGreaterThan(before + 1.0);
        Map<String, ?> last = evals.get(evals.size() - 1);
        assertThat(last.get("step")).isEqualTo(30);
        assertThat((double) last.get("val_logp_margin")).isCloseTo(after, within(1e-3));
        assertThat((double) last.get("val_margin")).isCloseTo(0.1 * (after - before), within(1e-3));
        assertThat((double) last.get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(evals).extracting(m -> (Object) m.get("step")).containsExactly(10, 20, 30);
    }

    @Test
    void aRunCancelledAndResumedRepeatsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> straight = new ArrayList<>();
        stage(dir, 6, 2, List.of()).run(dir.resolve("a"), (type, fields) -> {
            if (type.equals("metric")) {
                straight.add(fields);
            }
        }, () -> false);

        List<Map<String, ?>> interrupted = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric")) {
                interrupted.add(fields);
            } else if (type.equals("status") || type.equals("log")) {
                messages.add(String.valueOf(fields.get("message")));
            }
        };
        TrainResult cancelled = stage(dir, 6, 2, List.of()).run(dir.resolve("b"), events,
                () -> interrupted.size() >= 3);
        assertThat(cancelled.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        assertThat(cancelled.checkpoint().getFileName().toString()).isEqualTo("step-3");
        TrainResult resumed = stage(dir, 6, 2, List.of()).run(dir.resolve("b"), events, () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(messages).anyMatch(m -> m.startsWith("resuming") && m.endsWith("from step 3 of 6"))
                .anyMatch(m -> m.startsWith("reference log-probs read from"));
        assertThat(interrupted).hasSize(6);
        for (int i = 0; i < 6; i++) {
            for (String field : List.of("step", "loss", "margin", "accuracy", "grad_norm")) {
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
    void aBadPairLineIsReportedWithItsFileAndLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pairs.jsonl"), """
                {"prompt": "1+1", "chosen": "2", "rejected": "3"}

                {"prompt": "2+2", "chosen": "4"}
                """);
        assertThatThrownBy(() -> PreferenceReader.read(file)).hasMessage(file + ":3: \"rejected\" is missing");
        Files.writeString(file, "{\"prompt\": \"1+1\", \"chosen\": \"2\", \"rejected\": \"2\"}\n");
        assertThatThrownBy(() -> PreferenceReader.read(file)).hasMessageContaining(file + ":1: \"chosen\" and");
        Files.writeString(file, "{\"prompt\": \"1+1\", \"chosen\": \"2\", \"rejected\": \"3\", \"note\": 1}\n");
        assertThat(PreferenceReader.read(file)).containsExactly(new PreferencePair("1+1", "2", "3", file + ":1"));
    }

    /** Pairs whose chosen response is 3 ids below 8 and whose rejected one is 3 ids from 32 up. */
    static List<PreferencePair> pairs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder prompt = new StringBuilder();
            StringBuilder chosen = new StringBuilder();
            StringBuilder rejected = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                prompt.append((char) ('a' + random.nextInt(26)));
                chosen.append((char) ('0' + random.nextInt(8)));
                rejected.append((char) ('0' + 32 + random.nextInt(32)));
            }
            pairs.add(new PreferencePair(prompt.toString(), chosen.toString(), rejected.toString(), "p:" + (i + 1)));
        }
        return pairs;
    }

    private static DpoStage stage(Path dir, int steps, int checkpointEvery, List<PreferencePair> heldOut)
            throws IOException {
        return stage(dir, steps, checkpointEvery, heldOut, null);
    }

    /** A stage of {@code steps} on 24 pairs from {@code dir/init/final} (a fresh tiny model, written once). */
    static DpoStage stage(Path dir, int steps, int checkpointEvery, List<PreferencePair> heldOut, LoraSpec lora)
            throws IOException {
        Path init = dir.resolve("init").resolve(Checkpoints.FINAL);
        if (!Files.exists(init)) {
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeTransformer model = MoeTransformer.create(SPEC, manager, 4);
                Checkpoints.write(init.getParent(), Checkpoints.FINAL, model, null, new CheckpointMeta(
                        Checkpoints.FORMAT_VERSION, "init", 0, SPEC, null, Double.NaN, null, 4));
            }
        }
        DpoStage.Config config = new DpoStage.Config("dpo-test", SPEC, SEED, steps, 4, 16,
                new OptimizerSpec(1e-2, 1e-2, 0.0, 0, 0, 0, 1.0), 0.1, 10, checkpointEvery, 2, init, lora);
        return new DpoStage(config, pairs(24, 5), heldOut, ENCODER);
    }

    static double heldOutMargin(Path checkpoint, List<PreferencePair> pairs) throws IOException {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = Checkpoints.loadModel(checkpoint, Checkpoints.readMeta(checkpoint), manager);
            List<SftSequence> rows = new ArrayList<>();
            pairs.forEach(p -> rows.add(ENCODER.apply(new SftExample(p.prompt(), p.chosen(), p.where()))));
            pairs.forEach(p -> rows.add(ENCODER.apply(new SftExample(p.prompt(), p.rejected(), p.where()))));
            float[] logps = ResponseLogProbs.of(model, new ParameterStore(manager, false), manager, rows, false)
                    .toFloatArray();
            double sum = 0;
            for (int i = 0; i < pairs.size(); i++) {
                sum += logps[i] - logps[pairs.size() + i];
            }
            return sum / pairs.size();
        }
    }
}
