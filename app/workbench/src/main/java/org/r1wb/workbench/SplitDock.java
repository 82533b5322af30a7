package org.r1wb.workbench;

import javafx.scene.Node;
import javafx.scene.control.SplitPane;

/**
 * A tool window docked as the last item of a split pane, which can be collapsed (taken out of the split) and
 * expanded again at the size it had, as IntelliJ's tool windows do.
 */
final class SplitDock {

    private final SplitPane split;
    private final Node pane;
    private double position;

    SplitDock(SplitPane split, Node pane, double position) {
        this.split = split;
        this.pane = pane;
        this.position = position;
        SplitPane.setResizableWithParent(pane, false);
    }

    boolean collapsed() {
        return !split.getItems().contains(pane);
    }

    /** Hides or shows the pane; the other dividers stay where they are. */
    void setCollapsed(boolean collapse) {
        if (collapse == collapsed()) {
            return;
        }
        if (collapse) {
            position = currentPosition();
            double[] others = split.getDividerPositions();
            split.getItems().remove(pane);
            restore(others);
        } else {
            double[] others = split.getDividerPositions();
            split.getItems().add(pane);
            restore(others);
            split.setDividerPosition(split.getDividers().size() - 1, position);
        }
    }

    void toggle() {
        setCollapsed(!collapsed());
    }

    /** Where the pane starts, as a share of the split; the remembered value while collapsed. */
    double position() {
        return collapsed() ? position : currentPosition();
    }

    void setPosition(double position) {
        this.position = position;
        if (!collapsed()) {
            split.setDividerPosition(split.getDividers().size() - 1, position);
        }
    }

    private double currentPosition() {
        double[] positions = split.getDividerPositions();
        return positions[positions.length - 1];
    }

    private void restore(double[] positions) {
        for (int i = 0; i < Math.min(positions.length, split.getDividers().size()); i++) {
            split.setDividerPosition(i, positions[i]);
        }
    }
}
