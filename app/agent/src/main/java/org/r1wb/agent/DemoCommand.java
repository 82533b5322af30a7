package org.r1wb.agent;

import org.r1wb.model.eval.EvalResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code r1wb demo}: the main job end to end with no display — the sample data pipeline, training of the
 * sample MoE on CPU in a child process, evaluation, and a summary.
 */
@Command(name = "demo", description = "Run the sample job end to end: pipeline, training (child process), evaluation.")
public final class DemoCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Option(names = "--steps", description = "Training steps (default: ${DEFAULT-VALUE}).", defaultValue = "400")
    private int steps;

    @Option(names = "--eval-problems", description = "Held-out arithmetic problems to score (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    private int evalProblems;

    @Option(names = "--retrain", description = "Train again even if a finished run of the same spec exists.")
    private boolean retrain;

    @Option(names = "--trainer-heap", description = "Heap of the trainer's JVM (default: ${DEFAULT-VALUE}).", defaultValue = "3g")
    private String trainerHeap;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || evalProblems < 1) {
            return badInput("--steps and --eval-problems must be at least 1");
        }
        DemoJob.Settings defaults = DemoJob.Settings.defaults();
        DemoJob.Settings settings = new DemoJob.Settings(steps, defaults.batchSize(), defaults.seqLen(), defaults.seed(),
                evalProblems, defaults.perplexityWindows(), retrain);
        long start = System.nanoTime();
        DemoJob.Summary summary;
        try {
            summary = new DemoJob(workspace.path(), settings, out(),
                    new LocalRunLauncher(List.of("-Xmx" + trainerHeap))).run();
        } catch (IllegalStateException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        print(summary, (System.nanoTime() - start) / 1e9, out());
        return ExitCodes.OK;
    }

    /** The summary block: loss at start and end, eval scores, cache hits, where the files are. */
    static void print(DemoJob.Summary s, double seconds, PrintWriter out) {
        out.println();
        out.println("== R1 Workbench demo: summary ==");
        out.printf("workspace   %s%n", s.workspace());
        out.printf("pipeline    %s (%s)%n", s.workspace().relativize(s.pipeline().outputDir()),
                s.pipeline().cached() ? "served from the cache" : "built now");
        out.printf("training    run %s (%s): %d steps, %,.0f tokens/s, %s%n", s.run().id(),
                s.trainingReused() ? "reused finished run" : "trained now", s.steps(), s.tokensPerSecond(),
                Format.duration(s.trainingTime()));
        out.printf("loss        %.4f at the first step -> %.4f at the end (mean of the last 10 steps); validation %.4f%n",
                s.initialLoss(), s.finalLoss(), s.finalValLoss());
        for (EvalResult result : s.eval()) {
            out.printf("eval        %-20s %-12s %.4f ± %.4f (n=%d)%n", result.task(), result.metric(), result.value(),
                    result.stderr(), result.samples());
        }
        out.printf("eval cache  %s%n", s.evalCached()
                ? "served from the cache (same checkpoint digest, task and settings)" : "computed now and stored in "
                + s.workspace().relativize(s.workspace().resolve(EvalJob.STORE)));
        out.printf("files       %s (run.json, events.jsonl, agent.log), checkpoint %s%n",
                s.workspace().relativize(s.run().dir()), s.workspace().relativize(s.checkpoint()));
        out.printf("took        %.1f s%n", seconds);
        out.flush();
    }
}
