package org.r1wb.agent;

import org.r1wb.model.eval.EvalCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code r1wb eval compare CKPT...}: the stored results of several checkpoints side by side, one row per
 * task and metric, each cell {@code value ± stderr}, the best of a row marked {@code *}.
 */
@Command(name = "compare", description = "Print stored evaluation results of checkpoints side by side.")
public final class EvalCompareCommand extends BaseCommand implements Callable<Integer> {

    /** Metrics where lower is better; for every other one higher is. */
    static final Set<String> LOWER_IS_BETTER = Set.of("perplexity", "bits_per_byte", "nll");

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "CKPT", arity = "1..*", description = "Run ids or checkpoint folders.")
    private List<String> targets;

    @Override
    public Integer call() throws IOException {
        Path ws = workspace.path();
        List<String> labels = new ArrayList<>();
        Map<String, Map<Integer, EvalCache.StoredResult>> rows = new LinkedHashMap<>();
        try (EvalCache cache = EvalCache.open(ws.resolve(EvalJob.STORE))) {
            for (int column = 0; column < targets.size(); column++) {
                EvalTarget target;
                try {
                    target = EvalTarget.resolve(ws, targets.get(column));
                } catch (IllegalArgumentException e) {
                    return badInput(e.getMessage());
                }
                labels.add(target.label());
                for (EvalCache.StoredResult result : cache.resultsOf(target.digest())) {
                    rows.computeIfAbsent(result.task() + "  " + result.metric(), k -> new LinkedHashMap<>()).put(column, result);
                }
            }
        }
        if (rows.isEmpty()) {
            out().println("no stored results for these checkpoints; run 'r1wb eval CKPT --suite S' first");
            return ExitCodes.OK;
        }
        int first = Math.max(12, rows.keySet().stream().mapToInt(String::length).max().orElse(0));
        int width = Math.max(20, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder header = new StringBuilder(String.format("%-" + first + "s", "task  metric"));
        labels.forEach(l -> header.append(String.format("  %" + width + "s", l)));
        out().println(header);
        for (Map.Entry<String, Map<Integer, EvalCache.StoredResult>> row : rows.entrySet()) {
            String metric = row.getKey().substring(row.getKey().lastIndexOf(' ') + 1);
            int best = best(row.getValue(), LOWER_IS_BETTER.contains(metric));
            StringBuilder line = new StringBuilder(String.format("%-" + first + "s", row.getKey()));
            for (int column = 0; column < labels.size(); column++) {
                EvalCache.StoredResult result = row.getValue().get(column);
                String cell = result == null ? "-" : String.format("%.4f ± %.4f%s", result.value(), result.stderr(),
                        column == best && row.getValue().size() > 1 ? " *" : "  ");
                line.append(String.format("  %" + width + "s", cell));
            }
            out().println(line);
        }
        return ExitCodes.OK;
    }

    private static int best(Map<Integer, EvalCache.StoredResult> cells, boolean lowerIsBetter) {
        int best = -1;
        for (Map.Entry<Integer, EvalCache.StoredResult> cell : cells.entrySet()) {
            double value = cell.getValue().value();
            if (best < 0 || (lowerIsBetter ? value < cells.get(best).value() : value > cells.get(best).value())) {
                best = cell.getKey();
            }
        }
        return best;
    }
}
