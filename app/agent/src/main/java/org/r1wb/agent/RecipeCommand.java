package org.r1wb.agent;

import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeRunner;
import org.r1wb.model.recipe.RecipeValidator;
import org.r1wb.model.recipe.Recipes;
import org.r1wb.model.recipe.StageOutcome;
import org.r1wb.model.recipe.reward.Rewards;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.SpecProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code r1wb recipe validate|run FILE.recipe.json}: the R1 chain of stages (see {@code docs/RECIPE.md}). Reward
 * names may be the built-ins' and those of the workspace's active plugins ({@link AgentPlugins}).
 */
@Command(name = "recipe", description = "R1 recipes (*.recipe.json).",
        subcommands = {RecipeCommand.Validate.class, RecipeCommand.Run.class})
public final class RecipeCommand {

    /** Reads a recipe file, or returns {@code null} after printing why it cannot be read. */
    private static Recipe load(BaseCommand command, Path file) {
        if (!Files.isRegularFile(file)) {
            command.badInput("no such recipe file: " + file);
            return null;
        }
        try {
            return Recipes.load(file);
        } catch (IOException e) {
            command.badInput(e.getMessage());
            return null;
        }
    }

    /** Every problem of a recipe at once, with its path and a fix. */
    @Command(name = "validate", description = "Check a recipe: stages, inputs, data, params.")
    static final class Validate extends BaseCommand implements Callable<Integer> {

        @Mixin
        private WorkspaceOption workspace;

        @Parameters(paramLabel = "FILE.recipe.json")
        private Path file;

        @Override
        public Integer call() throws IOException {
            Recipe recipe = load(this, file);
            if (recipe == null) {
                return ExitCodes.BAD_INPUT;
            }
            AgentPlugins plugins = AgentPlugins.of(workspace.path());
            plugins.print(out());
            List<SpecProblem> problems = RecipeValidator.validate(recipe, folder(file), plugins.rewards());
            if (!problems.isEmpty()) {
                err().println(file + ": " + problems.size() + " problem(s)");
                problems.forEach(p -> err().println("  " + p));
                return ExitCodes.BAD_INPUT;
            }
            out().println(file + ": valid, " + recipe.stages().size() + " stage(s)");
            return ExitCodes.OK;
        }
    }

    /** Runs the stages in order (resuming where an earlier run stopped), journaling into the runs folder. */
    @Command(name = "run", description = "Run a recipe's stages in order; finished stages are passed over.")
    static final class Run extends BaseCommand implements Callable<Integer> {

        @Mixin
        private WorkspaceOption workspace;

        @Parameters(paramLabel = "FILE.recipe.json")
        private Path file;

        @Option(names = "--stage", description = "Run only this stage (its input must exist).")
        private String stage;

        @Option(names = "--runs", description = "Folder of the stages' runs (default: runs/<recipe name> beside the file).")
        private Path runs;

        @Override
        public Integer call() throws IOException {
            Djl.offline();
            Recipe recipe = load(this, file);
            if (recipe == null) {
                return ExitCodes.BAD_INPUT;
            }
            AgentPlugins plugins = AgentPlugins.of(workspace.path());
            plugins.print(out());
            Rewards rewards = plugins.rewards();
            List<SpecProblem> problems = RecipeValidator.validate(recipe, folder(file), rewards);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err().println("  " + p));
                return badInput(file + ": " + problems.size() + " problem(s)");
            }
            Path runsDir = runs != null ? runs : folder(file).resolve("runs").resolve(recipe.name());
            Files.createDirectories(runsDir);
            RecipeRunner runner = new RecipeRunner(recipe, folder(file), runsDir, rewards);
            List<StageOutcome> outcomes;
            Path cancelFile = runsDir.resolve(TrainCommand.CANCEL_FILE);
            Files.deleteIfExists(cancelFile);
            try (GracefulStop stop = new GracefulStop("r1wb-recipe-shutdown");
                 EventJournal journal = EventJournal.openForAppend(runsDir.resolve("events.jsonl"), recipe.name())) {
                EventSink echo = (type, fields) -> {
                    journal.emit(type, fields);
                    if ("status".equals(type) || "log".equals(type)) {
                        out().println(fields.get("message"));
                        out().flush();
                    }
                };
                // SIGTERM or a `cancel` file in the runs folder: the running stage checkpoints and stops
                outcomes = runner.run(stage, echo, () -> stop.requested() || Files.exists(cancelFile));
            }
            for (StageOutcome outcome : outcomes) {
                out().printf("%-20s %-17s %s%n", outcome.stage(), outcome.state(), outcome.message());
            }
            return outcomes.stream().allMatch(o -> o.state() == StageOutcome.State.FINISHED
                    || o.state() == StageOutcome.State.SKIPPED) ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static Path folder(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
