package org.r1wb.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the sample model's step time at batch 16 × seq 128, for sizing the demo. Off by default; run with
 * {@code ./mvnw -B -o -q -pl model test -Dtest=SampleModelBenchmark -Dr1wb.bench=true}, result in the test's
 * output file.
 */
@EnabledIfSystemProperty(named = "r1wb.bench", matches = "true")
class SampleModelBenchmark {

    @Test
    void sampleModelStepTime(@TempDir Path dir) throws Exception {
        ModelSpec model = ModelSpecs.load(Paths.get(getClass().getResource("/presets/sample.model.json").toURI()));
        int steps = Integer.getInteger("r1wb.bench.steps", 40);
        SplittableRandom random = new SplittableRandom(1);
        int[] tokens = new int[400_000];
        for (int i = 1; i < tokens.length; i++) {
            tokens[i] = random.nextDouble() < 0.7 ? (tokens[i - 1] * 7 + 3) % 512 : random.nextInt(512);
        }
        TokenSource source = new ArrayTokenSource(tokens, 512);
        RunSpec spec = new RunSpec("bench", model, new DataRef("mem", "none"), null,
                new OptimizerSpec(3e-3, 3e-4, 0.1, 0, 0, 10, 1.0), steps, 16, 128, 1, 0, 2, 0, 1, null);
        List<Double> stepTokensPerSecond = new ArrayList<>();
        EventSink sink = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("tokens_per_s")) {
                stepTokensPerSecond.add(((Number) fields.get("tokens_per_s")).doubleValue());
            }
        };
        double gflopsBefore = gemmGflops();
        TrainResult result = new Trainer().train(spec, source, source, dir, sink, () -> false);
        System.out.printf("GEMM 2048x128x384 before/after: %.0f / %.0f GFLOPS (low values mean a contended CPU)%n",
                gflopsBefore, gemmGflops());
        System.out.println("per-step ms: " + stepTokensPerSecond.stream().map(t -> String.format("%.0f", 16 * 128 / t * 1000)).toList());
        double[] ms = stepTokensPerSecond.stream().skip(3).mapToDouble(t -> 16 * 128 / t * 1000).sorted().toArray();
        System.out.printf("sample model B16xT128: median %.1f ms/step, min %.1f, max %.1f; %.0f tokens/s overall;"
                        + " loss %.3f -> %.3f (val %.3f) in %d steps%n",
                ms[ms.length / 2], ms[0], ms[ms.length - 1], result.tokensPerSecond(), result.initialLoss(),
                result.finalLoss(), result.finalValLoss(), result.steps());
        assertThat(result.finalLoss()).isLessThan(result.initialLoss());
    }

    /** Best of a few timed GEMMs of the model's typical shape, as a yardstick for how busy the CPU is. */
    private static double gemmGflops() {
        double best = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(2048, 128));
            NDArray w = manager.randomNormal(new Shape(128, 384));
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(w)) {
                    product.getFloat(0, 0);
                }
                best = Math.max(best, 2.0 * 2048 * 128 * 384 / (System.nanoTime() - start));
            }
        }
        return best;
    }
}
