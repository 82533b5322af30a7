package org.r1wb.model.recipe.dpo;

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

class LoraDpoTest {

    private static final LoraSpec LORA = new LoraSpec(4, 8, List.of("q_proj", "v_proj", "out_proj", "up_proj",
            "down_proj"));

    @Test
    void onlyTheAdaptersTrainAndTheMergedWeightsAndOutputsAreBasePlusAdapter(@TempDir Path dir) throws Exception {
        List<PreferencePair> heldOut = DpoTest.pairs(16, 99);
        TrainResult result = DpoTest.stage(dir, 30, 10, heldOut, LORA).run(dir.resolve("run"), EventSink.NONE,
                () -> false);
        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        Path init = dir.resolve("init/final");
        // the adapters learned the preference (measured on the merged checkpoint, a plain model)
        assertThat(DpoTest.heldOutMargin(result.checkpoint(), heldOut))
                .isGreaterThan(DpoTest.heldOutMargin(init, heldOut) + 0.5);
        // q, v, out in both layers; up and down in the dense FFN, the 4 experts and the shared expert
        assertThat(AdapterChecks.assertMergedIsBasePlusAdapters(init, result.checkpoint(), LORA))
                .hasSize(3 * 2 + 2 * (1 + 4 + 1));
    }

    @Test
    void anAdapterRunCancelledAndResumedRepeatsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        List<Map<String, ?>> straight = new ArrayList<>();
        DpoTest.stage(dir, 6, 2, List.of(), LORA).run(dir.resolve("a"), (type, fields) -> {
            if (type.equals("metric")) {
                straight.add(fields);
            }
        }, () -> false);
        List<Map<String, ?>> interrupted = new ArrayList<>();
        EventSink events = (type, fields) -> {
            if (type.equals("metric")) {
                interrupted.add(fields);
            }
        };
        DpoTest.stage(dir, 6, 2, List.of(), LORA).run(dir.resolve("b"), events, () -> interrupted.size() >= 3);
        TrainResult resumed = DpoTest.stage(dir, 6, 2, List.of(), LORA).run(dir.resolve("b"), events, () -> false);
        assertThat(resumed.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(interrupted).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(interrupted.get(i).get("loss")).as("step %d", i + 1).isEqualTo(straight.get(i).get("loss"));
            assertThat(interrupted.get(i).get("grad_norm")).as("step %d", i + 1)
                    .isEqualTo(straight.get(i).get("grad_norm"));
        }
        assertThat(Checkpoints.readMeta(resumed.checkpoint()).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(dir.resolve("a/checkpoints/final")).weightsDigest());
        assertThat(straight.stream().map(m -> m.get("loss")).distinct().count()).isGreaterThan(1);
    }
}
