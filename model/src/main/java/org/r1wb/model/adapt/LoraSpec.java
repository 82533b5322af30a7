package org.r1wb.model.adapt;

import org.r1wb.model.spec.SpecProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Low-rank adapters (Hu et al. 2021): each targeted weight W (out, in) is trained as W₀ + (α/r)·B·A with W₀ frozen,
 * A (r, in) and B (out, r). B starts at zero, so training starts from the base model exactly.
 *
 * @param rank    r: the adapters' rank (small: 4–16)
 * @param alpha   α: scales the update by α/r, so changing r keeps the update's size
 * @param targets projection names adapted wherever they occur ({@code q_proj}, {@code k_proj}, {@code v_proj},
 *                {@code out_proj}, {@code gate_proj}, {@code up_proj}, {@code down_proj}); experts included
 */
public record LoraSpec(int rank, double alpha, List<String> targets) {

    /** The projections an adapter can sit on. */
    public static final Set<String> PROJECTIONS = Set.of("q_proj", "k_proj", "v_proj", "out_proj", "gate_proj",
            "up_proj", "down_proj");

    /** Absent targets read as none. */
    public LoraSpec {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** α / r, the factor of B·A. */
    public double scale() {
        return alpha / rank;
    }

    /** Every problem, each under {@code path} ({@code stages[3].params.lora}) with a fix. */
    public List<SpecProblem> problems(String path) {
        List<SpecProblem> problems = new ArrayList<>();
        if (rank < 1) {
            problems.add(new SpecProblem(path + ".rank", "must be ≥ 1 (is " + rank + ")", "use 8"));
        }
        if (!(alpha > 0)) {
            problems.add(new SpecProblem(path + ".alpha", "must be > 0 (is " + alpha + ")", "use 2 × rank, e.g. 16"));
        }
        if (targets.isEmpty()) {
            problems.add(new SpecProblem(path + ".targets", "is empty: nothing would be adapted",
                    "use [\"q_proj\", \"v_proj\"]"));
        }
        for (int i = 0; i < targets.size(); i++) {
            if (!PROJECTIONS.contains(targets.get(i))) {
                problems.add(new SpecProblem(path + ".targets[" + i + "]", "\"" + targets.get(i)
                        + "\" is not a projection", "use one of " + PROJECTIONS.stream().sorted().toList()));
            }
        }
        return problems;
    }
}
