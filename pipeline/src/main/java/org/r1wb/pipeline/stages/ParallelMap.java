package org.r1wb.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.r1wb.pipeline.stage.StageContext;

/**
 * Applies a pure per-document function on every core, chunk by chunk, checking for cancellation and reporting
 * progress between chunks from the calling thread (contexts are not thread-safe).
 */
final class ParallelMap {

    private static final int CHUNK = 8192;

    private ParallelMap() {
    }

    /** {@code f} of each item, in order. */
    static <T, R> List<R> map(StageContext context, List<T> items, Function<T, R> f) {
        List<R> results = new ArrayList<>(items.size());
        for (int start = 0; start < items.size(); start += CHUNK) {
            context.checkCancelled();
            int from = start;
            int to = Math.min(items.size(), start + CHUNK);
            @SuppressWarnings("unchecked")
            R[] chunk = (R[]) new Object[to - from];
            IntStream.range(from, to).parallel().forEach(i -> chunk[i - from] = f.apply(items.get(i)));
            results.addAll(List.of(chunk));
            context.progress((double) to / items.size(), to + " documents");
        }
        return results;
    }
}
