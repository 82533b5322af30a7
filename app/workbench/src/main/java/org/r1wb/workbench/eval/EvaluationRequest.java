package org.r1wb.workbench.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An evaluation to start from the workbench: what {@code r1wb eval} is asked.
 *
 * @param checkpoint the checkpoint folder
 * @param suite      a suite or task of the workspace's {@code evals/}
 * @param limit      documents per task, or {@code null} for all
 */
public record EvaluationRequest(Path checkpoint, String suite, Integer limit) {

    /** The arguments of {@code r1wb eval} for this request in {@code workspace}. */
    public List<String> arguments(Path workspace) {
        List<String> args = new ArrayList<>(List.of("eval", checkpoint.toString(), "--suite", suite,
                "-w", workspace.toString()));
        if (limit != null) {
            args.addAll(List.of("--limit", Integer.toString(limit)));
        }
        return args;
    }
}
