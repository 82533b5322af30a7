package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Next-token cross-entropy from logits.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T, V</td><td>batch, positions, vocabulary</td></tr>
 *   <tr><td>in</td><td>logits (B, T, V), targets (B, T), optional loss mask (B, T) of 0/1</td></tr>
 * </table>
 */
public final class NextTokenLoss {

    private NextTokenLoss() {
    }

    /** Negative log-likelihood of each target, (B, T), in nats. */
    public static NDArray perToken(NDArray logits, NDArray targets) {
        NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);       // (B, T, 1)
        return logits.logSoftmax(-1).gather(index, -1).squeeze(-1).neg();         // (B, T)
    }

    /**
     * Mean negative log-likelihood over the targets where {@code mask} (B, T) is 1, a scalar; targets where it is 0
     * (an SFT prompt, padding) contribute neither to the value nor to the gradient.
     */
    public static NDArray masked(NDArray logits, NDArray targets, NDArray mask) {
        NDArray weights = mask.toType(DataType.FLOAT32, false);
        // at least one, so a batch without any response token gives 0 rather than 0/0
        return perToken(logits, targets).mul(weights).sum().div(weights.sum().maximum(1f));
    }

    /** Mean negative log-likelihood over all targets, a scalar. */
    public static NDArray mean(NDArray logits, NDArray targets) {
        return perToken(logits, targets).mean();
    }
}
