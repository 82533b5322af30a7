package org.r1wb.agent;

import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code r1wb eval RUN}: the sample suite on a run's last checkpoint, served from the cache when it can be. */
@Command(name = "eval", description = "Evaluate a run's last checkpoint (held-out perplexity, arithmetic exact match).")
public final class EvalCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    private String runId;

    @Option(names = "--problems", defaultValue = "100", description = "Held-out problems to score (default: ${DEFAULT-VALUE}).")
    private int problems;

    @Override
    public Integer call() throws IOException {
        Path ws = workspace.path();
        RunFolder run = RunFolder.of(ws, runId);
        if (!Files.isRegularFile(run.spec())) {
            return badInput("no run '" + runId + "' in " + ws.resolve("runs"));
        }
        String checkpoint = null;
        for (RunEvent event : EventJournal.read(run.events())) {
            if ("checkpoint".equals(event.type())) {
                checkpoint = event.text("path");
            }
        }
        if (checkpoint == null) {
            return badInput("run " + runId + " has no checkpoint yet");
        }
        RunSpec spec = RunSpecs.load(run.spec());
        List<EvalResult> results = new EvalJob(ws, 32, problems, 24).run(run.dir().resolve(checkpoint).normalize(),
                ws.resolve(spec.data().path()), out(), () -> Thread.currentThread().isInterrupted());
        out().println(results.stream().allMatch(EvalResult::cached) ? "all results served from the cache" : "results stored");
        return ExitCodes.OK;
    }
}
