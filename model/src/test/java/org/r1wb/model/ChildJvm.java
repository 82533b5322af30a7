package org.r1wb.model;

import org.r1wb.model.train.Checkpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's child JVM with this one's classpath and engine settings (offline, thread counts), so a run there uses the
 * same kernels as here: what the kill -9 resume tests start, kill and start again.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code main} with {@code args}, its output in {@code log}. */
    public static Process start(Class<?> main, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        for (String property : new String[] {"ai.djl.offline", "OPT_OUT_TRACKING", "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads", "ENGINE_CACHE_DIR"}) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Waits until {@code checkpoints} holds a checkpoint of a step in {@code [from, last)}; returns that step. Fails
     * when the child stops first (with its {@code log}) or after 90 s.
     */
    public static int waitForCheckpoint(Process child, Path checkpoints, int from, int last, Path log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child stopped before a checkpoint at step " + from + " (exit "
                        + child.exitValue() + "): " + Files.readString(log));
            }
            for (int step = last - 1; step >= from; step--) {
                if (Files.exists(checkpoints.resolve(Checkpoints.stepName(step)))) {
                    return step;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint at step ≥ " + from + " within 90 s");
    }
}
