package org.r1wb.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.SpecProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Training under bf16 autocast: it learns as fp32 does and repeats itself; in either precision a run resumed in the
 * same JVM from a mid-run checkpoint (kernels, fused AdamW and all) follows the uninterrupted one bit for bit.
 */
class Bf16TrainingTest {

    private static final TokenSource TRAIN = TrainerTest.markov(5_000, 1);
    private static final TokenSource VAL = TrainerTest.markov(2_000, 2);

    private static RunSpec run(String precision) {
        return new RunSpec("bf16", TinySpecs.tiny(), new DataRef("mem", "none"), null,
                new OptimizerSpec(1e-2, 1e-3, 0.01, 0, 0, 3, 1.0), 24, 8, 24, 9, 0, 1, 12, 0, null, null, 1, precision);
    }

    @Test
    void learnsAsFp32DoesAndRepeatsItselfButIsNotFp32(@TempDir Path dir) throws Exception {
        Map<Integer, Double> bf16 = losses(run(RunSpec.BF16), dir.resolve("a"), false);
        Map<Integer, Double> again = losses(run(RunSpec.BF16), dir.resolve("b"), false);
        Map<Integer, Double> fp32 = losses(run(RunSpec.FP32), dir.resolve("c"), false);
        assertThat(again).as("same seed, same losses").isEqualTo(bf16);
        assertThat(bf16.get(24)).as("learned").isLessThan(bf16.get(1) - 0.3);
        assertThat(bf16.get(24)).as("as fp32 does").isCloseTo(fp32.get(24), within(0.05));
        assertThat(bf16.get(1)).as("the products really ran in bf16").isNotEqualTo(fp32.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {RunSpec.BF16, RunSpec.FP32})
    void resumedFromAMidRunCheckpointFollowsTheUninterruptedRunBitForBit(String precision, @TempDir Path dir)
            throws Exception {
        Map<Integer, Double> whole = losses(run(precision), dir.resolve("whole"), false);
        Path resumedDir = dir.resolve("resumed");
        Path midRun = dir.resolve("whole").resolve("checkpoints").resolve(Checkpoints.stepName(12));
        copy(midRun, resumedDir.resolve("checkpoints").resolve(Checkpoints.stepName(12)));
        Map<Integer, Double> resumed = losses(run(precision), resumedDir, true);
        assertThat(resumed.keySet()).containsExactlyElementsOf(whole.keySet().stream().filter(s -> s > 12).toList());
        resumed.forEach((step, loss) -> assertThat(loss).as("loss at step %d", step).isEqualTo(whole.get(step)));
    }

    @Test
    void anUnknownPrecisionIsRefusedWithItsPathAndAFix() {
        List<SpecProblem> problems = RunSpecValidator.validate(run("fp16"));
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("precision");
            assertThat(problem.fix()).contains("bf16");
        });
        assertThat(RunSpecValidator.validate(run(null))).isEmpty();
        assertThat(run(null).precision()).isEqualTo(RunSpec.FP32);
    }

    private static Map<Integer, Double> losses(RunSpec spec, Path dir, boolean resume) throws Exception {
        Map<Integer, Double> losses = new TreeMap<>();
        EventSink sink = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("loss")) {
                losses.put(((Number) fields.get("step")).intValue(), ((Number) fields.get("loss")).doubleValue());
            }
        };
        Files.createDirectories(dir);
        if (resume) {
            new Trainer().resume(spec, TRAIN, VAL, dir, sink, () -> false);
        } else {
            new Trainer().train(spec, TRAIN, VAL, dir, sink, () -> false);
        }
        return losses;
    }

    private static void copy(Path from, Path to) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(files::add);
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            if (Files.isDirectory(file)) {
                Files.createDirectories(target);
            } else {
                Files.copy(file, target);
            }
        }
    }
}
