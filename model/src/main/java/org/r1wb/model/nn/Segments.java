package org.r1wb.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Where the examples of a packed batch lie. Each row of a (B, T) batch may hold several examples side by side; a
 * token attends only to itself and the earlier tokens of its own example, and its rotary position counts from its
 * example's first token, so a packed example computes exactly what it would alone.
 *
 * @param batch     rows (B)
 * @param length    positions per row (T)
 * @param ids       (B, T) row-major: the example each token belongs to; neighbours in a row with different ids
 *                  belong to different examples (padding is simply one more example, whose loss is masked)
 * @param positions (B, T) row-major: each token's position within its example
 */
public record Segments(int batch, int length, int[] ids, int[] positions) {

    /** Checks the array sizes. */
    public Segments {
        if (ids.length != batch * length || positions.length != batch * length) {
            throw new IllegalArgumentException("segment ids and positions must hold B·T = " + batch * length + " values");
        }
    }

    /** The segments of {@code ids} (B, T), positions restarting wherever the id changes within a row. */
    public static Segments of(int[] ids, int batch, int length) {
        int[] positions = new int[ids.length];
        for (int row = 0; row < batch; row++) {
            for (int i = 1; i < length; i++) {
                int at = row * length + i;
                positions[at] = ids[at] == ids[at - 1] ? positions[at - 1] + 1 : 0;
            }
        }
        return new Segments(batch, length, ids.clone(), positions);
    }

    /** The largest position plus one: how many rotary positions the batch needs. */
    public int span() {
        return Arrays.stream(positions).max().orElse(-1) + 1;
    }

    /**
     * The additive attention mask (B, 1, T, T): 0 where query i may see key j (same example, j ≤ i), −∞ elsewhere.
     * The diagonal is always open, so no row is empty.
     */
    public NDArray mask(NDManager manager, Device device) {
        float[] mask = new float[batch * length * length];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        for (int row = 0; row < batch; row++) {
            for (int i = 0; i < length; i++) {
                int base = (row * length + i) * length;
                // the example is contiguous and ends at i, so it starts positions[i] tokens earlier
                int first = i - positions[row * length + i];
                Arrays.fill(mask, base + first, base + i + 1, 0f);
            }
        }
        return manager.create(mask, new Shape(batch, 1, length, length)).toDevice(device, false);
    }
}
