package org.r1wb.model.recipe.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.nn.NextTokenLoss;
import org.r1wb.model.recipe.sft.SftSequence;

import java.util.List;

/**
 * log π(response | prompt) of templated conversations: the sum of the response tokens' log-probabilities (their
 * end of turn included), the quantity DPO compares. Rows are right-padded; causal attention keeps the padding out
 * of every real position, and the mask keeps it out of the sum.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>R, T</td><td>sequences, longest sequence − 1</td></tr>
 * </table>
 */
public final class ResponseLogProbs {

    private ResponseLogProbs() {
    }

    /** Each sequence's response log-probability under {@code model}, (R), in {@code manager}. */
    public static NDArray of(MoeTransformer model, ParameterStore store, NDManager manager,
                             List<SftSequence> sequences, boolean training) {
        int rows = sequences.size();
        int length = 1;
        for (SftSequence sequence : sequences) {
            length = Math.max(length, sequence.length() - 1);
        }
        int[] inputs = new int[rows * length];
        int[] targets = new int[rows * length];
        float[] mask = new float[rows * length];
        for (int r = 0; r < rows; r++) {
            SftSequence sequence = sequences.get(r);
            for (int t = 0; t + 1 < sequence.length(); t++) {
                inputs[r * length + t] = sequence.tokens()[t];
                targets[r * length + t] = sequence.tokens()[t + 1];
                mask[r * length + t] = sequence.response()[t + 1] ? 1f : 0f;
            }
        }
        Shape shape = new Shape(rows, length);
        NDArray ids = manager.create(inputs, shape).toType(DataType.INT64, false);      // (R, T)
        NDArray logits = model.apply(store, ids, training).get(0);                       // (R, T, V)
        NDArray perToken = NextTokenLoss.perToken(logits, manager.create(targets, shape)).neg();   // (R, T)
        return perToken.mul(manager.create(mask, shape)).sum(new int[] {1});           // (R)
    }
}
