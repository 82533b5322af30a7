package org.r1wb.model.recipe.sft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.adapt.AdapterChecks;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.Trainer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SFT through the trainer with LoRA adapters: only they train, the checkpoint is base + adapters, resume is exact. */
class LoraSftTest {

    private static final LoraSpec LORA = new LoraSpec(4, 8, List.of("q_proj", "v_proj", "out_proj", "up_proj",
            "down_proj"));

    @Test
    void onlyTheAdaptersLearnTheResponsesAndACancelledRunResumesExactly(@TempDir Path dir) throws Exception {
        SftTrainingTest.pretrain(dir.resolve("base"));
        RunSpec spec = SftTrainingTest.sft(30, 10).withLora(LORA);
        Map<Integer, Map<String, ?>> straight = new TreeMap<>();
        TrainResult result = new Trainer().train(spec, SftTrainingTest.additions(), SftTrainingTest.additions(),
                dir.resolve("sft"), recorder(straight), () -> false);

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        // rank-4 adapters on a base pretrained on noise learn slowly: the full run's loss falls much further
        assertThat(result.finalLoss()).isLessThan(result.initialLoss() - 0.25);
        AdapterChecks.assertMergedIsBasePlusAdapters(dir.resolve("base/checkpoints/final"), result.checkpoint(), LORA);
        assertThat(dir.resolve("sft/adapters")).isDirectoryContaining(p -> p.endsWith("step-10"))
                .isDirectoryContaining(p -> p.endsWith("step-20"));

        // cancelled after step 15 (the trainer checkpoints on cancel), then resumed to the end
        AtomicInteger polls = new AtomicInteger();
        Map<Integer, Map<String, ?>> interrupted = new TreeMap<>();
        TrainResult cancelled = new Trainer().train(spec, SftTrainingTest.additions(), SftTrainingTest.additions(),
                dir.resolve("again"), recorder(interrupted), () -> polls.incrementAndGet() > 15);
        assertThat(cancelled.outcome()).isEqualTo(TrainResult.Outcome.CANCELLED);
        assertThat(cancelled.checkpoint().getFileName().toString()).isEqualTo("step-15");
        Map<Integer, Map<String, ?>> afterResume = new TreeMap<>();
        TrainResult resumed = new Trainer().resume(spec, SftTrainingTest.additions(), SftTrainingTest.additions(),
                dir.resolve("again"), recorder(afterResume), () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(afterResume.keySet()).first().isEqualTo(16);
        interrupted.putAll(afterResume);
        assertThat(interrupted.keySet()).isEqualTo(straight.keySet()).hasSize(30);
        interrupted.forEach((step, metric) -> {
            assertThat(metric.get("loss")).as("step %d", step).isEqualTo(straight.get(step).get("loss"));
            assertThat(metric.get("grad_norm")).as("step %d", step).isEqualTo(straight.get(step).get("grad_norm"));
        });
        assertThat(Checkpoints.readMeta(resumed.checkpoint()).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(result.checkpoint()).weightsDigest());
    }

    @Test
    void aRunResumedWithOtherAdapterSettingsThanItsCheckpointsIsRefused(@TempDir Path dir) throws Exception {
        SftTrainingTest.pretrain(dir.resolve("base"));
        AtomicInteger polls = new AtomicInteger();
        new Trainer().train(SftTrainingTest.sft(6, 0).withLora(LORA), SftTrainingTest.additions(),
                SftTrainingTest.additions(), dir.resolve("sft"), EventSink.NONE, () -> polls.incrementAndGet() > 2);
        assertThatThrownBy(() -> new Trainer().resume(SftTrainingTest.sft(6, 0), SftTrainingTest.additions(),
                SftTrainingTest.additions(), dir.resolve("sft"), EventSink.NONE, () -> false))
                .hasMessageContaining("step-2 was written by a run with lora adapters");
    }

    private static EventSink recorder(Map<Integer, Map<String, ?>> metrics) {
        return (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("loss")) {
                metrics.put(((Number) fields.get("step")).intValue(), fields);
            }
        };
    }
}
