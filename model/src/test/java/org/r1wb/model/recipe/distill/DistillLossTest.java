package org.r1wb.model.recipe.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DistillLossTest {

    private static final float[][] TEACHER = {{1, 2, 0}, {0, 0, 3}};
    private static final float[][] STUDENT = {{0, 1, 1}, {2, 0, 0}};
    private static final int[] TARGETS = {1, 0};

    @Test
    void theKlTermEqualsTheHandComputedValue() {
        double temperature = 2;
        double alpha = 0.5;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = logits(manager, TEACHER);
            NDArray student = logits(manager, STUDENT);
            DistillLoss.Result result = new DistillLoss(temperature, alpha).compute(teacher, student,
                    manager.create(new long[] {TARGETS[0], TARGETS[1]}, new Shape(1, 2)));

            double kl = (kl(TEACHER[0], STUDENT[0], temperature) + kl(TEACHER[1], STUDENT[1], temperature)) / 2;
            double crossEntropy = (-logSoftmax(STUDENT[0], 1)[TARGETS[0]] - logSoftmax(STUDENT[1], 1)[TARGETS[1]]) / 2;
            assertThat(result.kl()).isCloseTo(kl, within(1e-6));
            assertThat(result.crossEntropy()).isCloseTo(crossEntropy, within(1e-6));
            assertThat((double) result.loss().getFloat()).isCloseTo(temperature * temperature * kl
                    + alpha * crossEntropy, within(1e-5));
            assertThat(DistillLoss.klPerPosition(teacher, teacher, temperature).toFloatArray())
                    .containsExactly(new float[] {0, 0}, within(1e-7f));
        }
    }

    /** KL(softmax(t/τ) ‖ softmax(s/τ)) of one position, written out. */
    private static double kl(float[] teacher, float[] student, double temperature) {
        double[] p = logSoftmax(teacher, temperature);
        double[] q = logSoftmax(student, temperature);
        double sum = 0;
        for (int v = 0; v < p.length; v++) {
            sum += Math.exp(p[v]) * (p[v] - q[v]);
        }
        return sum;
    }

    private static double[] logSoftmax(float[] logits, double temperature) {
        double norm = 0;
        for (float x : logits) {
            norm += Math.exp(x / temperature);
        }
        double[] out = new double[logits.length];
        for (int v = 0; v < logits.length; v++) {
            out[v] = logits[v] / temperature - Math.log(norm);
        }
        return out;
    }

    private static NDArray logits(NDManager manager, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int t = 0; t < rows.length; t++) {
            System.arraycopy(rows[t], 0, flat, t * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(1, rows.length, rows[0].length));             // (B 1, T 2, V 3)
    }
}
