package org.r1wb.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.spec.SpecValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code r1wb model check MODEL.json}: every validation problem at once, then the size estimates. */
@Command(name = "model", description = "Model specs.", subcommands = ModelCommand.Check.class)
public final class ModelCommand {

    /** Validates a spec and prints its estimates, as a table or one JSON object. */
    @Command(name = "check", description = "Validate a *.model.json and print parameters, FLOPs and memory.")
    static final class Check extends BaseCommand implements Callable<Integer> {

        @Parameters(paramLabel = "MODEL.json")
        private Path file;

        @Option(names = "--json", description = "Print one JSON object (valid, errors, totalParams, activeParams, flopsPerToken).")
        private boolean json;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                return badInput("no such model file: " + file);
            }
            ModelSpec spec;
            try {
                spec = ModelSpecs.load(file);
            } catch (IOException e) {
                return badInput(e.getMessage());
            }
            List<SpecProblem> problems = SpecValidator.validate(spec);
            ModelEstimates estimates = problems.isEmpty() ? ModelEstimates.of(spec) : null;
            if (json) {
                printJson(problems, estimates);
            } else {
                printTable(problems, estimates);
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
        }

        private void printTable(List<SpecProblem> problems, ModelEstimates estimates) {
            if (!problems.isEmpty()) {
                err().println(file + ": " + problems.size() + " problem(s)");
                for (SpecProblem problem : problems) {
                    err().println("  " + problem);
                }
                return;
            }
            out().println(file + ": valid");
            out().printf("  total parameters      %,d%n", estimates.totalParams());
            out().printf("  active per token      %,d%n", estimates.activeParamsPerToken());
            out().printf("  training FLOPs/token  %,.0f%n", estimates.trainingFlopsPerToken());
            out().printf("  weights+grads+AdamW   %s%n", Format.bytes(estimates.trainingStateBytes()));
        }

        private void printJson(List<SpecProblem> problems, ModelEstimates estimates) throws IOException {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode().put("valid", problems.isEmpty());
            ArrayNode errors = root.putArray("errors");
            for (SpecProblem problem : problems) {
                errors.addObject().put("path", problem.path()).put("message", problem.message()).put("fix", problem.fix());
            }
            if (estimates != null) {
                root.put("totalParams", estimates.totalParams())
                        .put("activeParams", estimates.activeParamsPerToken())
                        .put("flopsPerToken", estimates.trainingFlopsPerToken())
                        .put("trainingStateBytes", estimates.trainingStateBytes());
            }
            out().println(mapper.writeValueAsString(root));
        }
    }
}
