package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Next-token cross-entropy from logits.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T, V</td><td>batch, positions, vocabulary</td></tr>
 *   <tr><td>in</td><td>logits (B, T, V), targets (B, T)</td></tr>
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

    /** Mean negative log-likelihood over all targets, a scalar. */
    public static NDArray mean(NDArray logits, NDArray targets) {
        return perToken(logits, targets).mean();
    }
}
