package org.r1wb.agent;

import org.r1wb.model.eval.ComparisonTable;
import org.r1wb.model.eval.EvalCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code r1wb eval compare CKPT...}: the stored results of several checkpoints side by side (the engine's
 * {@link ComparisonTable}, as the workbench shows it), one row per task and metric, each cell
 * {@code value ± stderr}, every best cell of a row marked {@code *} (ties all marked).
 */
@Command(name = "compare", description = "Print stored evaluation results of checkpoints side by side.")
public final class EvalCompareCommand extends BaseCommand implements Callable<Integer> {

    /** What marks a best cell. */
    static final String BEST = " *";

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "CKPT", arity = "1..*", description = "Run ids or checkpoint folders.")
    private List<String> targets;

    @Override
    public Integer call() throws IOException {
        Path ws = workspace.path();
        List<String> labels = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (String name : targets) {
            try {
                EvalTarget target = EvalTarget.resolve(ws, name);
                labels.add(target.label());
                digests.add(target.digest());
            } catch (IllegalArgumentException e) {
                return badInput(e.getMessage());
            }
        }
        ComparisonTable table;
        try (EvalCache cache = EvalCache.open(ws.resolve(EvalJob.STORE))) {
            table = ComparisonTable.read(cache, digests);
        }
        if (table.rows().isEmpty()) {
            out().println("no stored results for these checkpoints; run 'r1wb eval CKPT --suite S' first");
            return ExitCodes.OK;
        }
        int first = Math.max(12, table.rows().stream().mapToInt(r -> name(r).length()).max().orElse(0));
        int width = Math.max(20, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder header = new StringBuilder(String.format("%-" + first + "s", "task  metric"));
        labels.forEach(l -> header.append(String.format("  %" + width + "s", l)));
        out().println(header);
        for (ComparisonTable.Row row : table.rows()) {
            StringBuilder line = new StringBuilder(String.format("%-" + first + "s", name(row)));
            for (int column = 0; column < labels.size(); column++) {
                int c = column;
                String cell = row.cell(column).map(result -> String.format(Locale.ROOT, "%.4f ± %.4f%s", result.value(),
                        result.stderr(), row.isBest(c) ? BEST : "  ")).orElse("-");
                line.append(String.format("  %" + width + "s", cell));
            }
            out().println(line);
        }
        return ExitCodes.OK;
    }

    private static String name(ComparisonTable.Row row) {
        return row.task() + "  " + row.metric();
    }
}
