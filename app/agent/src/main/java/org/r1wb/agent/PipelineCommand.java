package org.r1wb.agent;

import org.r1wb.pipeline.InvalidPipelineException;
import org.r1wb.pipeline.PipelineException;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.ShardResult;
import org.r1wb.pipeline.ShardSlice;
import org.r1wb.pipeline.spec.PipelineValidator;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.pipeline.stage.StageStats;
import org.r1wb.plugins.api.PluginBlame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code r1wb pipeline run|validate FILE}. Both first probe and load the workspace's plugins ({@link AgentPlugins}),
 * print a status line for each, and use the built-in stages plus the active plugins' stages.
 */
@Command(name = "pipeline", description = "Data pipelines.", subcommands = {PipelineCommand.Run.class, PipelineCommand.Validate.class})
public final class PipelineCommand {

    /**
     * Runs a pipeline file with a progress line per stage and a table of per-stage statistics; {@code --shard i/N}
     * runs one shard's task of a sharded run and {@code --merge N} merges the N shards and runs the rest.
     */
    @Command(name = "run", description = "Run a *.pipeline.json; unchanged inputs are served from the cache.")
    static final class Run extends BaseCommand implements Callable<Integer> {

        @Mixin
        private WorkspaceOption workspace;

        @Parameters(paramLabel = "FILE", description = "The pipeline file (relative to the workspace or absolute).")
        private Path file;

        @Option(names = "--progress", paramLabel = "MODE",
                description = "BAR (redrawn in place), LINES (a status line every few seconds) or NONE; "
                        + "default: BAR on a terminal, LINES otherwise.")
        private PipelineProgress.Mode progress;

        @Option(names = "--shard", paramLabel = "i/N",
                description = "Run only shard i of N (0-based, e.g. a Slurm array task id): the readers and "
                        + "per-document stages over every N-th document; the output waits under data/.shards/ for "
                        + "--merge N.")
        private String shard;

        @Option(names = "--merge", paramLabel = "N",
                description = "Merge the N finished shards (deduplication over the whole corpus) and run the rest "
                        + "of the pipeline; writes the same data/<digest>/ as a run without shards.")
        private Integer merge;

        @Override
        public Integer call() {
            Path ws = workspace.path();
            Path pipeline = ws.resolve(file);
            if (!Files.isRegularFile(pipeline)) {
                return badInput("no such pipeline file: " + pipeline);
            }
            if (shard != null && merge != null) {
                return badInput("--shard and --merge are two steps: run every --shard i/N first, then --merge N");
            }
            ShardSlice slice;
            try {
                slice = shard != null ? ShardSlice.parse(shard) : null;
            } catch (IllegalArgumentException e) {
                return badInput("--shard: " + e.getMessage());
            }
            if (merge != null && merge < 1) {
                return badInput("--merge: a sharded run has at least 1 shard, not " + merge);
            }
            try {
                AgentPlugins plugins = AgentPlugins.of(ws);
                plugins.print(out());
                PipelineProgress.Mode mode = progress != null ? progress : PipelineProgress.detect();
                if (slice != null) {
                    ShardResult result = new PipelineRunner(plugins.stages()).runShard(ws, pipeline, slice,
                            new PipelineProgress(out(), mode, System::nanoTime), cancelFlag());
                    out().println("shard " + slice + (result.cached() ? ": already done, nothing ran: " : ": wrote ")
                            + result.shardDir());
                    out().println("when all " + slice.count() + " shards are done: r1wb pipeline run " + file
                            + " --merge " + slice.count());
                    out().flush();
                    return ExitCodes.OK;
                }
                PipelineResult result = merge != null
                        ? new PipelineRunner(plugins.stages()).runMerge(ws, pipeline, merge,
                                new PipelineProgress(out(), mode, System::nanoTime), cancelFlag())
                        : runPipeline(ws, pipeline, plugins.stages(), out(), mode);
                printStats(result, out());
                return ExitCodes.OK;
            } catch (InvalidPipelineException e) {
                return badInput(e.getMessage());
            } catch (PipelineException e) {
                err().println("error: " + e.getMessage()
                        + PluginBlame.pluginOf(e).map(id -> " (in plugin '" + id + "')").orElse(""));
                return ExitCodes.FAILED;
            } catch (IOException e) {
                err().println("error: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
    }

    /** Validates a pipeline file without running it: every problem with its path and a fix. */
    @Command(name = "validate", description = "Check a *.pipeline.json and list every problem with its path and a fix.")
    static final class Validate extends BaseCommand implements Callable<Integer> {

        @Mixin
        private WorkspaceOption workspace;

        @Parameters(paramLabel = "FILE", description = "The pipeline file (relative to the workspace or absolute).")
        private Path file;

        @Override
        public Integer call() throws IOException {
            Path ws = workspace.path();
            Path pipeline = ws.resolve(file);
            if (!Files.isRegularFile(pipeline)) {
                return badInput("no such pipeline file: " + pipeline);
            }
            AgentPlugins plugins = AgentPlugins.of(ws);
            plugins.print(out());
            List<Problem> problems = new PipelineValidator(plugins.stages()).validateFile(pipeline, ws);
            if (problems.isEmpty()) {
                out().println(pipeline + ": valid");
                return ExitCodes.OK;
            }
            err().println(pipeline + ": " + problems.size() + " problem(s)");
            problems.forEach(problem -> err().println("  " + problem));
            return ExitCodes.BAD_INPUT;
        }
    }

    /** Interrupting the thread cancels. */
    private static BooleanSupplier cancelFlag() {
        return () -> Thread.currentThread().isInterrupted();
    }

    /** Runs {@code pipeline} in {@code workspace}: a line as each stage starts and ends, a status every few seconds. */
    static PipelineResult runPipeline(Path workspace, Path pipeline, PrintWriter out) throws IOException {
        return runPipeline(workspace, pipeline, StageRegistry.builtIn(), out, PipelineProgress.Mode.LINES);
    }

    /**
     * Runs {@code pipeline} in {@code workspace} over the stages of {@code stages} with progress shown in
     * {@code mode}; interrupting the thread cancels.
     */
    static PipelineResult runPipeline(Path workspace, Path pipeline, StageRegistry stages, PrintWriter out,
                                      PipelineProgress.Mode mode) throws IOException {
        PipelineListener progress = new PipelineProgress(out, mode, System::nanoTime);
        return new PipelineRunner(stages).run(workspace, pipeline, progress, cancelFlag());
    }

    /** The per-stage statistics table. */
    static void printStats(PipelineResult result, PrintWriter out) {
        out.println((result.cached() ? "served from the cache: " : "wrote ") + result.outputDir());
        out.printf("  %-12s %-16s %10s %10s %9s  %s%n", "NODE", "STAGE", "IN", "OUT", "TIME", "DROPPED");
        for (StageStats stats : result.stats()) {
            StringBuilder dropped = new StringBuilder();
            for (Map.Entry<String, Long> reason : stats.dropped().entrySet()) {
                dropped.append(reason.getKey()).append('=').append(reason.getValue()).append(' ');
            }
            out.printf("  %-12s %-16s %,10d %,10d %7.2f s  %s%n", stats.nodeId(), stats.stageId(), stats.in(),
                    stats.out(), stats.millis() / 1000.0, dropped.toString().strip());
        }
        out.flush();
    }
}
