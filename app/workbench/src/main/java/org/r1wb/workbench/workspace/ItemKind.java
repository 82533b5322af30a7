package org.r1wb.workbench.workspace;

/** What a project-tree entry stands for; decides its badge and which editor opens it. */
public enum ItemKind {
    WORKSPACE("W"),
    GROUP(""),
    PIPELINE("P"),
    MODEL("M"),
    /** A {@code *.recipe.json}: the R1 chain of stages. */
    RECIPE("C"),
    RUN("R"),
    EVAL("E"),
    /** The workspace's stored evaluation results (results table, samples, metric over steps). */
    EVALUATIONS("Σ");

    private final String badge;

    ItemKind(String badge) {
        this.badge = badge;
    }

    /** The one-letter badge drawn in the tree; empty for groups, which draw a folder. */
    public String badge() {
        return badge;
    }

    /** Whether double-clicking the entry opens an editor tab. */
    public boolean openable() {
        return this == PIPELINE || this == MODEL || this == RECIPE || this == RUN || this == EVAL
                || this == EVALUATIONS;
    }
}
