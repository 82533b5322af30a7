package org.r1wb.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Auxiliary-loss-free balancing (Wang et al., 2024) on a Zipf-distributed token stream. A few ids make up most of
 * the tokens, so whichever experts the frequent ids prefer are overloaded; with no balancing nothing pushes back.
 */
class AuxFreeBalancingTest {

    private static final int EXPERTS = 8;
    private static final int STEPS = 40;
    /**
     * Larger than DeepSeek-V3's 0.001 because this run is 40 steps, not 15 trillion tokens; small enough that the
     * bias stays below the spread of the router's scores across tokens (at 0.01 every token ranks the experts
     * alike, and the overloaded pair merely rotates from step to step).
     */
    private static final double GAMMA = 0.005;

    @Test
    void lowersTheLoadSpreadAndMovesEachBiasByGammaTowardsTheMeanLoad(@TempDir Path dir) throws Exception {
        List<Routing> none = train(Balancing.NONE, dir.resolve("none"));
        List<Routing> auxFree = train(Balancing.AUX_FREE, dir.resolve("aux-free"));

        double cvNone = meanCvOfLastHalf(none);
        double cvAuxFree = meanCvOfLastHalf(auxFree);
        assertThat(cvNone).as("skewed tokens skew the load when nothing balances it").isGreaterThan(0.3);
        assertThat(cvAuxFree).as("load CV with aux-free balancing vs none (%.3f)", cvNone).isLessThan(cvNone * 0.75);

        for (Routing step : none) {
            assertThat(step.bias()).as("no balancing, no bias").containsOnly(0.0);
        }
        int moved = 0;
        for (int s = 1; s < auxFree.size(); s++) {
            double[] before = auxFree.get(s - 1).bias();
            double[] after = auxFree.get(s).bias();
            double[] load = auxFree.get(s).load();
            for (int e = 0; e < EXPERTS; e++) {
                // load fractions sum to one, so the mean load is 1/E; an overloaded expert's bias goes down by γ
                double expected = GAMMA * Math.signum(1.0 / EXPERTS - load[e]);
                assertThat(after[e] - before[e]).as("bias change of expert %d at step %d", e, s)
                        .isCloseTo(expected, within(1e-6));
                moved += expected != 0 ? 1 : 0;
            }
        }
        assertThat(moved).isGreaterThan(EXPERTS * (STEPS - 1) / 2);
    }

    /** What the routing event of one step reported for the MoE layer. */
    private record Routing(double cv, double[] load, double[] bias) {
    }

    private static List<Routing> train(Balancing balancing, Path dir) throws Exception {
        ModelSpec model = new ModelSpec(64, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(EXPERTS, 1, 2, 16, GateFunction.SIGMOID, balancing, 0.01, GAMMA));
        RunSpec spec = new RunSpec("balance", model, new DataRef("mem", "none"), null,
                // a modest learning rate: Adam moves each router weight by ~lr per step whatever its gradient, and
                // at 3e-3 the router collapses onto two experts faster than any bias can follow
                new OptimizerSpec(3e-4, 3e-5, 0.0, 0, 0, 5, 1.0), STEPS, 8, 24, 3, 1, 1, 0, 0, null);
        List<Routing> steps = new ArrayList<>();
        EventSink sink = (type, fields) -> {
            if (type.equals("routing")) {
                steps.add(new Routing(((Number) fields.get("cv")).doubleValue(), doubles(fields.get("load")),
                        doubles(fields.get("bias"))));
            }
        };
        TokenSource zipf = zipf(20_000, 1);
        new Trainer().train(spec, zipf, zipf(4_000, 2), dir, sink, () -> false);
        assertThat(steps).hasSize(STEPS);
        return steps;
    }

    private static double meanCvOfLastHalf(List<Routing> steps) {
        return steps.subList(steps.size() / 2, steps.size()).stream().mapToDouble(Routing::cv).average().orElseThrow();
    }

    /** Ids drawn with probability ∝ 1 / (rank + 1)^1.3: the top 4 of 64 ids are about half of all tokens. */
    private static TokenSource zipf(int length, long seed) {
        double[] cumulative = new double[64];
        double total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            total += Math.pow(i + 1, -1.3);
            cumulative[i] = total;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            double u = random.nextDouble() * total;
            int id = 0;
            while (cumulative[id] < u) {
                id++;
            }
            tokens[i] = id;
        }
        return new ArrayTokenSource(tokens, 64);
    }

    private static double[] doubles(Object value) {
        if (value instanceof float[] floats) {
            double[] out = new double[floats.length];
            for (int i = 0; i < floats.length; i++) {
                out[i] = floats[i];
            }
            return out;
        }
        return (double[]) value;
    }
}
