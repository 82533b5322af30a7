package org.r1wb.views.graph;

import java.util.List;

/**
 * What the host shows on a node besides its ports: validation problems (a red marker), run progress and a
 * statistics badge.
 *
 * @param problems problems found by validation, one line each; empty when fine
 * @param state    where the node stands in a run
 * @param progress fraction done while running, in [0, 1]
 * @param badge    a short statistics line ("10,240 in · 9,871 out · 369 dropped"); empty for none
 */
public record NodeDecoration(List<String> problems, RunState state, double progress, String badge) {

    /** Where a node stands in a run. */
    public enum RunState { IDLE, WAITING, RUNNING, DONE, FAILED }

    /** No marker, no run. */
    public static final NodeDecoration NONE = new NodeDecoration(List.of(), RunState.IDLE, 0, "");

    public NodeDecoration {
        problems = List.copyOf(problems);
    }

    public NodeDecoration withProblems(List<String> newProblems) {
        return new NodeDecoration(newProblems, state, progress, badge);
    }

    public NodeDecoration withRun(RunState newState, double newProgress, String newBadge) {
        return new NodeDecoration(problems, newState, newProgress, newBadge);
    }
}
