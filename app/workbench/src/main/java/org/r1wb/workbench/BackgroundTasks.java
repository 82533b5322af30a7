package org.r1wb.workbench;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the workbench's file reads off the FX thread and lists the ones in flight, so the status bar
 * can show their progress.
 */
public final class BackgroundTasks implements AutoCloseable {

    private static final int THREADS = 2;

    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
        Thread thread = new Thread(runnable, "workbench-io-" + threadCount.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();

    /** Starts {@code task} on a background thread and lists it until it ends; call on the FX thread. */
    public <T> Task<T> submit(Task<T> task) {
        running.add(task);
        task.stateProperty().addListener((obs, old, state) -> {
            if (state == Worker.State.SUCCEEDED || state == Worker.State.FAILED
                    || state == Worker.State.CANCELLED) {
                running.remove(task);
            }
        });
        executor.execute(task);
        return task;
    }

    /** The tasks submitted and not yet ended, oldest first. */
    public ObservableList<Task<?>> running() {
        return running;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
