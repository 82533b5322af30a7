package org.r1wb.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fixed pool of worker threads that maps a pure function over a list, results in input order. Several stages
 * share one pool, so every core works on whichever stage has work.
 */
final class OrderedParallelMap implements AutoCloseable {

    private final int workers;
    private final ExecutorService pool;
    private final Set<String> threadsUsed = ConcurrentHashMap.newKeySet();

    OrderedParallelMap(int workers, String name) {
        this.workers = workers;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread t = new Thread(task, name + "-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(workers, threads);
    }

    /** {@code f} of each item, in order; the list is cut into one slice per worker. */
    <T, R> List<R> map(List<T> items, Function<T, R> f) throws InterruptedException, ExecutionException {
        int slice = Math.max(1, (items.size() + workers - 1) / workers);
        List<Future<List<R>>> parts = new ArrayList<>();
        for (int from = 0; from < items.size(); from += slice) {
            List<T> part = items.subList(from, Math.min(items.size(), from + slice));
            parts.add(pool.submit(() -> {
                threadsUsed.add(Thread.currentThread().getName());
                List<R> out = new ArrayList<>(part.size());
                for (T item : part) {
                    out.add(f.apply(item));
                }
                return out;
            }));
        }
        List<R> results = new ArrayList<>(items.size());
        for (Future<List<R>> part : parts) {
            results.addAll(part.get());
        }
        return results;
    }

    /** Distinct threads that ran work so far. */
    int threadsUsed() {
        return threadsUsed.size();
    }

    /** Stops the workers, interrupting any that run. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Waits up to {@code millis} for the workers to end after {@link #close}. */
    boolean awaitTermination(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
