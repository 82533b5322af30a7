package org.r1wb.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.r1wb.model.eval.Digests;
import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.resources.SampleWorkspace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The main job, end to end: sample workspace → data pipeline → training in a child process → evaluation.
 * Every level is cached by what produced it: the pipeline by its inputs, the run by its spec, the
 * evaluation by checkpoint, task and settings; so a second demo does only what changed.
 */
final class DemoJob {

    /** Knobs of the demo; the defaults are what {@code ./r1wb demo} runs. */
    record Settings(int steps, int batchSize, int seqLen, long seed, int evalProblems, int perplexityWindows,
                    boolean retrain) {
        static Settings defaults() {
            return new Settings(400, 16, 128, 1234, 100, 32, false);
        }
    }

    /** What the demo did; the summary printed at the end. */
    record Summary(Path workspace, PipelineResult pipeline, RunFolder run, boolean trainingReused, int steps,
                   double initialLoss, double finalLoss, double finalValLoss, double tokensPerSecond,
                   Duration trainingTime, Path checkpoint, List<EvalResult> eval) {

        boolean evalCached() {
            return !eval.isEmpty() && eval.stream().allMatch(EvalResult::cached);
        }
    }

    private final Path workspace;
    private final Settings settings;
    private final PrintWriter out;
    private final LocalRunLauncher launcher;

    DemoJob(Path workspace, Settings settings, PrintWriter out, LocalRunLauncher launcher) {
        this.workspace = workspace;
        this.settings = settings;
        this.out = out;
        this.launcher = launcher;
    }

    Summary run() throws IOException, InterruptedException {
        out.println("workspace " + workspace);
        SampleWorkspace.create(workspace);

        out.println("1/3 data pipeline " + SampleWorkspace.PIPELINE);
        PipelineResult pipeline = PipelineCommand.runPipeline(workspace, workspace.resolve(SampleWorkspace.PIPELINE), out);
        PipelineCommand.printStats(pipeline, out);

        ModelSpec model = ModelSpecs.load(workspace.resolve(SampleWorkspace.MODEL));
        RunSpec spec = runSpec(model, pipeline);
        RunFolder run = chooseRun(spec);
        boolean reused = Files.isRegularFile(run.spec()) && "finished".equals(run.state());
        long started = System.nanoTime();
        if (reused) {
            out.println("2/3 training: reusing finished run " + run.id() + " (same run spec digest; --retrain trains again)");
        } else {
            out.println("2/3 training " + run.id() + " in a child process (journal " + workspace.relativize(run.events()) + ")");
            RunSpecs.save(spec.withId(run.id()), run.spec());
            train(run, spec.steps());
        }
        Duration trainingTime = Duration.ofNanos(System.nanoTime() - started);

        Figures figures = Figures.of(EventJournal.read(run.events()));
        if (figures.checkpoint == null) {
            throw new IllegalStateException("run " + run.id() + " finished without a checkpoint event; see "
                    + run.dir().resolve(RunFolder.LOG));
        }
        Path checkpoint = run.dir().resolve(figures.checkpoint).normalize();

        out.println("3/3 evaluation of " + run.dir().relativize(checkpoint));
        List<EvalResult> eval = new EvalJob(workspace, settings.perplexityWindows(), settings.evalProblems(), 24)
                .run(checkpoint, pipeline.outputDir(), out, () -> Thread.currentThread().isInterrupted());
        if (eval.stream().noneMatch(EvalResult::cached)) {
            try (EventJournal journal = EventJournal.openForAppend(run.events(), run.id())) {
                for (EvalResult result : eval) {
                    journal.emit("eval", java.util.Map.of("task", result.task(), "metric", result.metric(),
                            "value", result.value(), "stderr", result.stderr(), "samples", result.samples(),
                            "cached", false));
                }
            }
        }
        return new Summary(workspace, pipeline, run, reused, figures.steps, figures.initialLoss, figures.finalLoss,
                figures.valLoss, figures.tokensPerSecond, reused ? figures.duration : trainingTime, checkpoint, eval);
    }

    private RunSpec runSpec(ModelSpec model, PipelineResult pipeline) {
        OptimizerSpec optimizer = new OptimizerSpec(3e-3, 3e-4, 0.1, 0.9, 0.95, Math.max(1, settings.steps() / 10), 1.0);
        String data = workspace.relativize(pipeline.outputDir()).toString();
        int evalEvery = Math.max(1, settings.steps() / 8);
        return new RunSpec(null, model, new DataRef(data, pipeline.digest()), RunSpec.PRETRAIN, optimizer,
                settings.steps(), settings.batchSize(), settings.seqLen(), settings.seed(), evalEvery, 4,
                Math.max(1, settings.steps() / 4), 2, RunSpec.CPU);
    }

    /** The first of {@code demo-<digest>}, {@code -2}, {@code -3}… that is finished (reuse) or free (create). */
    private RunFolder chooseRun(RunSpec spec) throws IOException {
        ObjectNode json = (ObjectNode) ModelSpecs.JSON.valueToTree(spec);
        json.remove("id");
        String base = "demo-" + Digests.sha256(ModelSpecs.JSON.writeValueAsString(json)).substring(0, 12);
        for (int attempt = 1; ; attempt++) {
            RunFolder run = RunFolder.of(workspace, attempt == 1 ? base : base + "-" + attempt);
            if (!Files.exists(run.dir())) {
                return run;
            }
            if (!settings.retrain() && "finished".equals(run.state())) {
                return run;
            }
        }
    }



    /** Starts the trainer as a child process and prints its progress from the journal until it exits. */
    private void train(RunFolder run, int steps) throws IOException, InterruptedException {
        Process child = launcher.startTraining(run);
        long seq = 0;
        long lastPrinted = -1;
        long startNanos = System.nanoTime();
        try {
            while (true) {
                boolean exited = child.waitFor(500, TimeUnit.MILLISECONDS);
                for (RunEvent event : EventJournal.readAfter(run.events(), seq)) {
                    seq = event.seq();
                    if ("metric".equals(event.type()) && !Double.isNaN(event.number("loss"))) {
                        long step = (long) event.number("step");
                        if (step / Math.max(1, steps / 10) != lastPrinted / Math.max(1, steps / 10) || step == steps) {
                            lastPrinted = step;
                            double elapsed = (System.nanoTime() - startNanos) / 1e9;
                            double eta = step > 0 ? elapsed / step * (steps - step) : Double.NaN;
                            out.printf("    step %4d/%d  loss %.4f  lr %.2e  %,.0f tok/s  ETA %s%n", step, steps,
                                    event.number("loss"), event.number("lr"), event.number("tokens_per_s"),
                                    Double.isNaN(eta) ? "-" : Format.duration(Duration.ofMillis((long) (eta * 1000))));
                            out.flush();
                        }
                    } else if ("metric".equals(event.type()) && !Double.isNaN(event.number("val_loss"))) {
                        out.printf("    step %4d  val_loss %.4f%n", (long) event.number("step"), event.number("val_loss"));
                        out.flush();
                    }
                }
                if (exited) {
                    break;
                }
            }
        } finally {
            if (child.isAlive()) {
                child.destroy();
            }
        }
        if (child.exitValue() != 0 || !"finished".equals(run.state())) {
            String message = run.lastStatus().map(e -> e.text("message")).orElse("no status event");
            throw new IllegalStateException("training failed (exit " + child.exitValue() + "): " + message
                    + "; the trainer's output is in " + run.dir().resolve(RunFolder.LOG));
        }
    }

    /** Headline figures read back from a run's journal, so a reused run reports the same way as a new one. */
    private record Figures(int steps, double initialLoss, double finalLoss, double valLoss, double tokensPerSecond,
                           String checkpoint, Duration duration) {

        private static final int FINAL_WINDOW = 10;

        static Figures of(List<RunEvent> events) {
            List<RunEvent> losses = events.stream()
                    .filter(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss"))).toList();
            double initial = losses.isEmpty() ? Double.NaN : losses.get(0).number("loss");
            double last = losses.subList(Math.max(0, losses.size() - FINAL_WINDOW), losses.size()).stream()
                    .mapToDouble(e -> e.number("loss")).average().orElse(Double.NaN);
            double val = Double.NaN;
            String checkpoint = null;
            for (RunEvent event : events) {
                if ("metric".equals(event.type()) && !Double.isNaN(event.number("val_loss"))) {
                    val = event.number("val_loss");
                }
                if ("checkpoint".equals(event.type())) {
                    checkpoint = event.text("path");
                }
            }
            double tokensPerSecond = losses.stream().mapToDouble(e -> e.number("tokens_per_s"))
                    .filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
            int steps = losses.isEmpty() ? 0 : (int) losses.get(losses.size() - 1).number("step");
            long lastStatus = events.stream().filter(e -> "status".equals(e.type())).mapToLong(RunEvent::t)
                    .max().orElse(events.isEmpty() ? 0 : events.get(0).t());
            Duration duration = events.isEmpty() ? Duration.ZERO : Duration.ofMillis(lastStatus - events.get(0).t());
            return new Figures(steps, initial, last, val, tokensPerSecond, checkpoint, duration);
        }
    }
}
