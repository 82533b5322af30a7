package org.r1wb.model.recipe.grpo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.adapt.AdapterChecks;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.TrainResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GRPO with LoRA adapters: only they train, against the base as reference; the checkpoint is base + adapters. */
class LoraGrpoTest {

    private static final LoraSpec LORA = new LoraSpec(4, 8, List.of("q_proj", "v_proj", "out_proj", "up_proj",
            "down_proj"));

    @Test
    void onlyTheAdaptersTrainAndACancelledRunResumesExactly(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> straight = new ArrayList<>();
        TrainResult result = GrpoStageTest.stage(dir, 8, 3).withLora(LORA).run(dir.resolve("a"), (type, fields) -> {
            if (type.equals("metric")) {
                straight.add(fields);
            }
        }, () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        AdapterChecks.assertMergedIsBasePlusAdapters(dir.resolve("init/final"), result.checkpoint(), LORA);
        // the policy drifted from the reference, which stayed the base
        assertThat((double) straight.get(0).get("kl")).isLessThan(1e-6);
        assertThat((double) straight.get(7).get("kl")).isGreaterThan(0);

        List<Map<String, ?>> interrupted = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric")) {
                interrupted.add(fields);
            }
        };
        TrainResult cancelled = GrpoStageTest.stage(dir, 8, 3).withLora(LORA).run(dir.resolve("b"), events,
                () -> interrupted.size() >= 5);
        assertThat(cancelled.checkpoint().getFileName().toString()).isEqualTo("step-5");
        TrainResult resumed = GrpoStageTest.stage(dir, 8, 3).withLora(LORA).run(dir.resolve("b"), events, () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(interrupted).hasSize(8);
        for (int i = 0; i < 8; i++) {
            for (String field : List.of("step", "loss", "reward", "kl", "clip_fraction", "completion_length")) {
                assertThat(interrupted.get(i).get(field)).as("step %d %s", i + 1, field)
                        .isEqualTo(straight.get(i).get(field));
            }
        }
        assertThat(Checkpoints.readMeta(resumed.checkpoint()).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(result.checkpoint()).weightsDigest());
        assertThat(straight.stream().map(m -> m.get("loss")).distinct().count()).isGreaterThan(1);
    }
}
