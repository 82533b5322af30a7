package org.r1wb.model.train;

/**
 * AdamW with linear warmup and cosine decay.
 *
 * @param lr          peak learning rate, reached after {@code warmupSteps}
 * @param minLr       floor the cosine decays to at the last step
 * @param weightDecay decoupled decay (Loshchilov and Hutter) on matrices; norms' gains are not decayed
 * @param beta1       first-moment decay (default 0.9)
 * @param beta2       second-moment decay (default 0.95, steadier than 0.999 for LM pretraining)
 * @param warmupSteps steps of linear warmup from 0
 * @param gradClip    global gradient-norm clip; 0 turns clipping off
 */
public record OptimizerSpec(double lr, double minLr, double weightDecay, double beta1, double beta2,
                            int warmupSteps, double gradClip) {

    /** Default first-moment decay. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** Default second-moment decay. */
    public static final double DEFAULT_BETA2 = 0.95;

    /** Missing betas (0 in JSON) take their defaults; 0 is never a useful beta. */
    public OptimizerSpec {
        beta1 = beta1 == 0 ? DEFAULT_BETA1 : beta1;
        beta2 = beta2 == 0 ? DEFAULT_BETA2 : beta2;
    }
}
