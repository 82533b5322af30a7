package org.r1wb.model.recipe.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.r1wb.model.nn.Scalars;

/**
 * Direct preference optimisation's loss (Rafailov et al. 2023): with each response's summed log-probability under
 * the policy (π) and the frozen reference (ref), the implicit rewards are r = β·(π − ref) and
 * <pre>loss = −log σ(r_chosen − r_rejected) = softplus(−β·((π_c − ref_c) − (π_r − ref_r)))</pre>
 * averaged over the pairs. Inputs are (P) arrays, P = pairs.
 *
 * @param beta β: how far the policy may move from the reference (higher: closer)
 */
public record DpoLoss(double beta) {

    /**
     * The loss and its read-outs.
     *
     * @param loss           the mean loss, a scalar with the policy's graph
     * @param margin         mean implicit-reward margin r_chosen − r_rejected
     * @param accuracy       share of pairs whose margin is positive
     * @param chosenReward   mean r_chosen
     * @param rejectedReward mean r_rejected
     */
    public record Result(NDArray loss, double margin, double accuracy, double chosenReward, double rejectedReward) {
    }

    /** Checks β. */
    public DpoLoss {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be > 0 (is " + beta + "); use 0.1");
        }
    }

    /** The loss of pairs whose log-probabilities are {@code chosen}, {@code rejected} (policy) and their references. */
    public Result compute(NDArray chosen, NDArray rejected, NDArray refChosen, NDArray refRejected) {
        // β as a libtorch-owned scalar: autograd keeps it for the backward pass (see nn.Scalars)
        NDArray chosenReward = Scalars.mul(chosen.sub(refChosen), beta);         // (P)
        NDArray rejectedReward = Scalars.mul(rejected.sub(refRejected), beta);   // (P)
        NDArray margin = chosenReward.sub(rejectedReward);                       // (P)
        // softplus(−m) = max(−m, 0) + log(1 + e^−|m|), stable for margins of any size; max(−m, 0) written as
        // (|m| − m) / 2 because maximum(Number) would leave autograd a Java-buffer scalar (see nn.Scalars)
        NDArray positivePart = Scalars.mul(margin.abs().sub(margin), 0.5);
        NDArray loss = positivePart.add(margin.abs().neg().exp().add(1f).log()).mean();
        return new Result(loss, margin.mean().getFloat(), margin.gt(0f).toType(DataType.FLOAT32, false).mean()
                .getFloat(), chosenReward.mean().getFloat(), rejectedReward.mean().getFloat());
    }
}
