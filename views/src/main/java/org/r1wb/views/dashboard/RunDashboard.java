package org.r1wb.views.dashboard;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;
import org.r1wb.views.snapshot.Snapshots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The run dashboard: one chart per {@link DashboardPanel} over a {@link DashboardData}, a headline of the
 * latest figures, a smoothing slider, a log-scale switch and CSV / PNG export. Charts draw decimated
 * copies; the data keeps every point. Other runs can be drawn over it for comparison ({@link #getComparedRuns()}).
 */
public class RunDashboard extends Control {

    /** Style class of the control. */
    public static final String STYLE_CLASS = "run-dashboard";
    /** Style class of the headline figures. */
    public static final String HEADLINE_STYLE_CLASS = "run-dashboard-headline";
    /** The largest smoothing weight the slider offers. */
    public static final double MAX_SMOOTHING = 0.99;

    private final DashboardData data;
    private final DoubleProperty smoothing = new SimpleDoubleProperty(this, "smoothing", 0);
    private final BooleanProperty logScale = new SimpleBooleanProperty(this, "logScale", false);
    private final StringProperty runName = new SimpleStringProperty(this, "runName", "this run");
    private final ObservableList<ComparedRun> comparedRuns = FXCollections.observableArrayList();
    private final ObservableList<Node> tools = FXCollections.observableArrayList();

    public RunDashboard(DashboardData data) {
        this.data = Objects.requireNonNull(data, "data");
        getStyleClass().add(STYLE_CLASS);
    }

    /** The series drawn. */
    public DashboardData data() {
        return data;
    }

    /** The name of the dashboard's own run, which the legends show while other runs are compared. */
    public StringProperty runNameProperty() {
        return runName;
    }

    /** The runs drawn over this one, in legend order; empty: only this run. */
    public ObservableList<ComparedRun> getComparedRuns() {
        return comparedRuns;
    }

    /** Controls the application adds to the tool bar, before the smoothing control (a run picker, say). */
    public ObservableList<Node> getTools() {
        return tools;
    }

    /** The EMA weight applied to the noisy series, 0 (raw) to {@link #MAX_SMOOTHING}. */
    public DoubleProperty smoothingProperty() {
        return smoothing;
    }

    /** Whether the y axes show log10 of the values. */
    public BooleanProperty logScaleProperty() {
        return logScale;
    }

    /** Writes every series' raw points to {@code file} as CSV (see {@link DashboardCsv}). */
    public void exportCsv(Path file) throws IOException {
        DashboardCsv.write(data.all(), file);
    }

    /** Writes the dashboard as it looks now to {@code file} as PNG; call on the FX thread. */
    public void exportPng(Path file) throws IOException {
        Snapshots.writePng(snapshot(null, null), file);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new RunDashboardSkin(this);
    }
}
