package org.r1wb.model.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which items a training step takes: the next {@code batchSize} of an epoch-wise shuffle of {@code n} items, each
 * epoch's order a function of (seed, epoch). A step's batch is a function of (seed, step) alone, so a stage resumed
 * at step k draws what the uninterrupted one drew.
 */
public final class EpochShuffle {

    private EpochShuffle() {
    }

    /** The item indices of step {@code step} (1-based). */
    public static List<Integer> batch(int step, int batchSize, int n, long seed) {
        List<Integer> batch = new ArrayList<>(batchSize);
        int[] order = null;
        long orderEpoch = -1;
        for (int j = 0; j < batchSize; j++) {
            long k = (long) (step - 1) * batchSize + j;
            long epoch = k / n;
            if (epoch != orderEpoch) {
                order = permutation(n, seed * 1_000_033L + epoch);
                orderEpoch = epoch;
            }
            batch.add(order[(int) (k % n)]);
        }
        return batch;
    }

    private static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
