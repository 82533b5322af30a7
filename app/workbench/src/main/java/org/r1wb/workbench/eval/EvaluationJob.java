package org.r1wb.workbench.eval;

import javafx.concurrent.Task;
import org.r1wb.agent.EvalProgress;
import org.r1wb.agent.LocalRunLauncher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code r1wb eval} in a child agent process, so the workbench never loads model code: progress and message
 * follow the child's progress lines ({@link EvalProgress}); cancelling ends the child, whose answers so far stay
 * in the store (each batch is stored before the next starts). Its value is the child's whole output.
 */
public final class EvaluationJob extends Task<List<String>> {

    /** Lines of output kept for the message of a failed evaluation. */
    private static final int TAIL = 12;

    private final Path workspace;
    private final LocalRunLauncher launcher;
    private final EvaluationRequest request;
    private volatile Process process;

    public EvaluationJob(Path workspace, LocalRunLauncher launcher, EvaluationRequest request) {
        this.workspace = workspace;
        this.launcher = launcher;
        this.request = request;
    }

    /** What this job evaluates. */
    public EvaluationRequest request() {
        return request;
    }

    /** The child process, once started ({@code null} before). */
    public Process process() {
        return process;
    }

    @Override
    protected List<String> call() throws Exception {
        updateMessage("Evaluating " + request.checkpoint().getFileName() + " on " + request.suite());
        updateProgress(-1, 1);
        ProcessBuilder builder = new ProcessBuilder(launcher.command(request.arguments(workspace)))
                .redirectErrorStream(true);
        synchronized (this) {
            if (isCancelled()) {
                return List.of();
            }
            process = builder.start();
        }
        process.getOutputStream().close();
        List<String> output = new ArrayList<>();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                tail.addLast(line);
                if (tail.size() > TAIL) {
                    tail.removeFirst();
                }
                EvalProgress.parse(line).ifPresent(p -> {
                    updateProgress(p.done(), p.total());
                    updateMessage("Evaluating " + request.suite() + ": " + p.task() + " " + p.done() + "/" + p.total()
                            + (p.eta().isEmpty() ? "" : ", ETA " + p.eta()));
                });
            }
        }
        int code = process.waitFor();
        if (isCancelled()) {
            return output;
        }
        if (code != 0) {
            throw new IOException("r1wb eval ended with exit code " + code + ":\n" + String.join("\n", tail));
        }
        return output;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        synchronized (this) {
            if (process != null) {
                // SIGTERM: the child stops between two stored batches at worst, losing only the batch in flight
                process.destroy();
            }
        }
        return cancelled;
    }
}
