package org.r1wb.pipeline;

/**
 * One of {@code count} deterministic slices of a pipeline's input documents: each reader's document number
 * {@code k} (0-based, in reading order) belongs to slice {@code k % count}, so the slices together hold every
 * document exactly once, and each slice holds documents from the whole corpus (no slice gets only the tail).
 *
 * @param index this slice, 0 ≤ index &lt; count (a Slurm array task id)
 * @param count the number of slices, ≥ 1
 */
public record ShardSlice(int index, int count) {

    public ShardSlice {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count
                    + " does not exist: write i/N with N ≥ 1 and 0 ≤ i < N, e.g. 0/" + Math.max(count, 1));
        }
    }

    /** Parses {@code i/N}, e.g. {@code 2/8}. */
    public static ShardSlice parse(String text) {
        int slash = text.indexOf('/');
        try {
            return new ShardSlice(Integer.parseInt(text.substring(0, slash).strip()),
                    Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a shard: write i/N, e.g. 0/4 for the first of 4");
        }
    }

    /** Whether a reader's document number {@code k} belongs to this slice. */
    public boolean holds(long k) {
        return k % count == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
