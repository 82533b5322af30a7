package org.r1wb.agent;

import org.r1wb.model.eval.BpeTextCodec;
import org.r1wb.model.eval.CheckpointSource;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalSettings;
import org.r1wb.model.eval.EvalStoreException;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * {@code r1wb eval CKPT --suite S}: a suite of the workspace's {@code evals/} on a checkpoint, through the cache. Its
 * tasks may name the built-in metrics and those of the workspace's active plugins ({@link AgentPlugins}).
 */
@Command(name = "eval", description = "Evaluate a checkpoint (a run id or a checkpoint folder) on a suite or task.",
        subcommands = EvalCompareCommand.class)
public final class EvalCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    private WorkspaceOption workspace;

    // optional for picocli so that "eval compare …" parses; required by call()
    @Parameters(paramLabel = "CKPT", arity = "0..1", description = "Run id (its last checkpoint) or checkpoint folder.")
    private String target;

    @Mixin
    private EvalOptions options;

    @Override
    public Integer call() throws IOException {
        if (target == null) {
            return badInput("name the checkpoint to evaluate: r1wb eval RUN_OR_CHECKPOINT --suite S");
        }
        Path ws = workspace.path();
        AgentPlugins plugins = AgentPlugins.of(ws);
        plugins.print(out());
        Metrics metrics = plugins.metrics();
        EvalTarget resolved;
        List<EvalTask> tasks;
        try {
            EvalJob.installBundled(ws);
            resolved = EvalTarget.resolve(ws, target);
            tasks = EvalJob.registry(ws, metrics).suite(options.suite());
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        EvalSettings settings = options.settings();
        // the store is read before the weights: a cached rerun never starts the engine
        CheckpointSource source = CheckpointSource.of(resolved.checkpoint());
        try (EvalCache cache = EvalCache.open(ws.resolve(EvalJob.STORE));
             EventJournal journal = EventJournal.openForAppend(resolved.run().events(), resolved.run().id())) {
            // only answers computed now are news for the run's journal; cached ones were journaled when computed
            EventSink sink = (type, fields) -> {
                if (Boolean.FALSE.equals(fields.get("cached"))) {
                    journal.emit(type, fields);
                }
            };
            long start = System.nanoTime();
            List<TaskReport> reports = new EvalRunner(cache, metrics,
                    new EvalJob.ProgressLines(out()), sink).run(source, BpeTextCodec.ofShards(resolved.shards()),
                    resolved.label(), tasks, settings, () -> Thread.currentThread().isInterrupted());
            double seconds = (System.nanoTime() - start) / 1e9;
            int computed = reports.stream().mapToInt(TaskReport::computed).sum();
            int fromCache = reports.stream().mapToInt(TaskReport::fromCache).sum();
            boolean allCached = reports.stream().flatMap(r -> r.results().stream()).allMatch(EvalResult::cached);
            out().println(allCached ? "all results served from the cache"
                    : "requests: " + computed + " computed, " + fromCache + " from the cache; results stored in "
                    + ws.resolve(EvalJob.STORE));
            out().printf("evaluation time %.3f s (JVM start not included; the model is loaded only if a request is"
                    + " not in the cache)%n", seconds);
            return ExitCodes.OK;
        } catch (CancellationException e) {
            err().println("cancelled: " + e.getMessage());
            return ExitCodes.CANCELLED;
        } catch (EvalStoreException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
