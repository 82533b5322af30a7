package org.r1wb.model.recipe.grpo;

import ai.djl.ndarray.NDArray;
import org.r1wb.model.nn.Scalars;

/**
 * GRPO's objective per token, negated to a loss (DeepSeekMath eq. 3): the PPO-clipped surrogate
 * {@code min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A)} with {@code ρ = π/π_old}, minus {@code β} times the k3 estimate of
 * KL(π ‖ π_ref), {@code π_ref/π − log(π_ref/π) − 1} (Schulman, "Approximating KL divergence": unbiased and never
 * negative). Each completion's tokens are averaged, then the completions.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T</td><td>completions, positions</td></tr>
 *   <tr><td>log-probs, mask</td><td>(B, T): each target token's log-probability; 1 on completion tokens</td></tr>
 *   <tr><td>advantages</td><td>(B)</td></tr>
 * </table>
 *
 * @param clip ε, how far the ratio may move from 1 before the surrogate stops rewarding it (0.2)
 * @param beta β, the KL penalty's weight (0.04 in DeepSeekMath; 0 drops the reference model)
 */
public record ClippedPolicyLoss(double clip, double beta) {

    /**
     * The loss and what to report about it.
     *
     * @param loss         scalar, differentiable through {@code logProbs}
     * @param clipFraction share of completion tokens whose ratio lies outside {@code [1 − ε, 1 + ε]}
     * @param kl           mean k3 KL estimate over completion tokens
     */
    public record Result(NDArray loss, double clipFraction, double kl) {
    }

    /** The loss of the policy's {@code logProbs} against the sampling policy's and the reference's. */
    public Result compute(NDArray logProbs, NDArray oldLogProbs, NDArray refLogProbs, NDArray advantages,
                          NDArray mask) {
        NDArray ratio = logProbs.sub(oldLogProbs).exp();                                     // (B, T)
        NDArray a = advantages.expandDims(1);                                                // (B, 1)
        NDArray surrogate = ratio.mul(a).minimum(ratio.clip(1 - clip, 1 + clip).mul(a));     // (B, T)
        NDArray toReference = refLogProbs.sub(logProbs);                                     // log(π_ref / π)
        NDArray kl = toReference.exp().sub(toReference).sub(1f);                             // (B, T), ≥ 0
        NDArray perToken = surrogate.sub(Scalars.mul(kl, beta)).neg();
        NDArray tokens = mask.sum(new int[] {1}).maximum(1f);                                // (B)
        NDArray loss = perToken.mul(mask).sum(new int[] {1}).div(tokens).mean();
        float counted = Math.max(1f, mask.sum().getFloat());
        float clipped = ratio.sub(1f).abs().gt(clip).toType(mask.getDataType(), false).mul(mask).sum().getFloat();
        float klMean = kl.mul(mask).sum().getFloat() / counted;
        return new Result(loss, clipped / counted, klMean);
    }
}
