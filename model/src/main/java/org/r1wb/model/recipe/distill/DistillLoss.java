package org.r1wb.model.recipe.distill;

import ai.djl.ndarray.NDArray;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.nn.Scalars;

/**
 * Logit distillation (Hinton et al., 2015): {@code τ² · KL(softmax(t/τ) ‖ softmax(s/τ))} averaged over positions,
 * plus {@code α ·} the student's next-token cross-entropy. The τ² keeps the soft term's gradient on the same scale
 * whatever the temperature, so α means the same at every τ.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T, V</td><td>batch, positions, vocabulary (teacher and student share it)</td></tr>
 *   <tr><td>in</td><td>teacher logits (B, T, V), student logits (B, T, V), targets (B, T)</td></tr>
 * </table>
 */
public final class DistillLoss {

    private final double temperature;
    private final double alpha;

    /** A loss at temperature {@code temperature} (&gt; 0) with cross-entropy weight {@code alpha} (≥ 0). */
    public DistillLoss(double temperature, double alpha) {
        if (!(temperature > 0) || !(alpha >= 0)) {
            throw new IllegalArgumentException("distillation needs temperature > 0 and alpha ≥ 0 (are " + temperature
                    + " and " + alpha + ")");
        }
        this.temperature = temperature;
        this.alpha = alpha;
    }

    /**
     * The objective and its parts.
     *
     * @param loss         the scalar to differentiate: τ²·kl + α·ce
     * @param kl           mean KL of the student from the teacher at temperature τ, in nats per position
     * @param crossEntropy the student's mean next-token cross-entropy at temperature 1, in nats
     */
    public record Result(NDArray loss, double kl, double crossEntropy) {
    }

    /** The loss of {@code student} logits against {@code teacher} logits (no gradient flows into the teacher). */
    public Result compute(NDArray teacher, NDArray student, NDArray targets) {
        NDArray kl = klPerPosition(teacher, student, temperature).mean();
        NDArray crossEntropy = NextTokenLoss.mean(student, targets);
        NDArray loss = Scalars.mul(kl, temperature * temperature);
        if (alpha > 0) {
            loss = loss.add(Scalars.mul(crossEntropy, alpha));
        }
        return new Result(loss, kl.getFloat(), crossEntropy.getFloat());
    }

    /** {@code KL(softmax(t/τ) ‖ softmax(s/τ))} at each position, (B, T), in nats. */
    public static NDArray klPerPosition(NDArray teacher, NDArray student, double temperature) {
        NDArray teacherLogP = Scalars.div(teacher.stopGradient(), temperature).logSoftmax(-1);   // (B, T, V)
        NDArray studentLogP = Scalars.div(student, temperature).logSoftmax(-1);                  // (B, T, V)
        return teacherLogP.exp().mul(teacherLogP.sub(studentLogP)).sum(new int[] {-1});         // (B, T)
    }
}
