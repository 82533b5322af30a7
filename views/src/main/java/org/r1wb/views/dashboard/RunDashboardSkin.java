package org.r1wb.views.dashboard;

import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import org.r1wb.views.chart.MetricChart;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.snapshot.ExportDialog;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays out a {@link RunDashboard}: a tool bar with the headline figures and controls over a 3 × 2 chart grid. While
 * other runs are compared, each chart draws every run's series, named "run · series".
 */
public class RunDashboardSkin extends SkinBase<RunDashboard> {

    private static final int COLUMNS = 3;

    private final Map<DashboardPanel, MetricChart> charts = new EnumMap<>(DashboardPanel.class);
    private final Map<MetricSeries, DisplayedSeries> displayed = new IdentityHashMap<>();
    private final Label headline = new Label();
    private final Slider smoothingSlider = new Slider(0, RunDashboard.MAX_SMOOTHING, 0);
    private final CheckBox logBox = new CheckBox("log scale");
    private final HBox tools = new HBox(6);
    private final InvalidationListener transformChanged = o -> applyTransform();
    private final InvalidationListener figuresChanged = o -> updateHeadline();
    private final ListChangeListener<MetricSeries> entropyChanged = c -> bindPanel(DashboardPanel.ROUTER_ENTROPY);
    private final InvalidationListener runsChanged = o -> rebindAll();
    /** The entropy lists of the compared runs, listened to while they are compared. */
    private final List<ObservableList<MetricSeries>> comparedEntropy = new ArrayList<>();

    public RunDashboardSkin(RunDashboard control) {
        super(control);
        GridPane grid = new GridPane();
        grid.setHgap(4);
        grid.setVgap(4);
        for (int c = 0; c < COLUMNS; c++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(100.0 / COLUMNS);
            grid.getColumnConstraints().add(column);
        }
        int rows = (DashboardPanel.values().length + COLUMNS - 1) / COLUMNS;
        for (int r = 0; r < rows; r++) {
            RowConstraints row = new RowConstraints();
            row.setPercentHeight(100.0 / rows);
            grid.getRowConstraints().add(row);
        }
        for (DashboardPanel panel : DashboardPanel.values()) {
            MetricChart chart = new MetricChart();
            chart.titleProperty().set(panel.title());
            chart.xAxisLabelProperty().set("step");
            chart.emptyTextProperty().set("No data yet");
            GridPane.setHgrow(chart, Priority.ALWAYS);
            GridPane.setVgrow(chart, Priority.ALWAYS);
            grid.add(chart, panel.ordinal() % COLUMNS, panel.ordinal() / COLUMNS);
            charts.put(panel, chart);
        }
        smoothingSlider.valueProperty().bindBidirectional(control.smoothingProperty());
        logBox.selectedProperty().bindBidirectional(control.logScaleProperty());
        BorderPane root = new BorderPane(grid);
        root.setTop(toolBar());
        BorderPane.setMargin(grid, new Insets(0, 4, 4, 4));
        getChildren().add(root);

        control.smoothingProperty().addListener(transformChanged);
        control.logScaleProperty().addListener(transformChanged);
        control.data().entropySeries().addListener(entropyChanged);
        control.data().loss().addListener(figuresChanged);
        control.data().valLoss().addListener(figuresChanged);
        control.data().tokensPerSecond().addListener(figuresChanged);
        control.getComparedRuns().addListener(runsChanged);
        control.runNameProperty().addListener(runsChanged);
        rebindAll();
        applyTransform();
        updateHeadline();
    }

    /** The chart of {@code panel}. */
    public MetricChart chart(DashboardPanel panel) {
        return charts.get(panel);
    }

    /** The series drawn for the raw series {@code raw}, or {@code null} when it is not shown. */
    public MetricSeries shown(MetricSeries raw) {
        DisplayedSeries d = displayed.get(raw);
        return d == null ? null : d.shown();
    }

    /** The headline line as shown. */
    public String headlineText() {
        return headline.getText();
    }

    @Override
    public void dispose() {
        RunDashboard control = getSkinnable();
        if (control == null) {
            return;
        }
        control.smoothingProperty().removeListener(transformChanged);
        control.logScaleProperty().removeListener(transformChanged);
        control.data().entropySeries().removeListener(entropyChanged);
        control.data().loss().removeListener(figuresChanged);
        control.data().valLoss().removeListener(figuresChanged);
        control.data().tokensPerSecond().removeListener(figuresChanged);
        control.getComparedRuns().removeListener(runsChanged);
        control.runNameProperty().removeListener(runsChanged);
        comparedEntropy.forEach(list -> list.removeListener(entropyChanged));
        comparedEntropy.clear();
        Bindings.unbindContent(tools.getChildren(), control.getTools());
        smoothingSlider.valueProperty().unbindBidirectional(control.smoothingProperty());
        logBox.selectedProperty().unbindBidirectional(control.logScaleProperty());
        displayed.values().forEach(DisplayedSeries::close);
        displayed.clear();
        super.dispose();
    }

    private HBox toolBar() {
        headline.getStyleClass().add(RunDashboard.HEADLINE_STYLE_CLASS);
        Label smoothingLabel = new Label();
        smoothingLabel.textProperty().bind(smoothingSlider.valueProperty().asString(Locale.ROOT, "smoothing %.2f"));
        smoothingSlider.setPrefWidth(140);
        Button csv = new Button("Export CSV…");
        csv.setOnAction(e -> export("CSV", "*.csv", "metrics.csv"));
        Button png = new Button("Export PNG…");
        png.setOnAction(e -> export("PNG", "*.png", "dashboard.png"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        tools.setAlignment(Pos.CENTER_LEFT);
        Bindings.bindContent(tools.getChildren(), getSkinnable().getTools());
        HBox bar = new HBox(10, headline, spacer, tools, smoothingLabel, smoothingSlider, logBox, csv, png);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        return bar;
    }

    private void export(String kind, String pattern, String defaultName) {
        ExportDialog.save(getSkinnable().getScene().getWindow(), kind, pattern, defaultName, file -> {
            if ("CSV".equals(kind)) {
                getSkinnable().exportCsv(file);
            } else {
                getSkinnable().exportPng(file);
            }
        });
    }

    private void bindPanel(DashboardPanel panel) {
        RunDashboard control = getSkinnable();
        boolean comparing = !control.getComparedRuns().isEmpty();
        List<MetricSeries> shownSeries = new ArrayList<>();
        addShown(panel, control.data(), comparing ? control.runNameProperty().get() : null, shownSeries);
        for (ComparedRun run : control.getComparedRuns()) {
            addShown(panel, run.data(), run.name(), shownSeries);
        }
        charts.get(panel).getSeries().setAll(shownSeries);
    }

    /** Adds the shown copies of one run's series of {@code panel}, named "run · series" when {@code run} is given. */
    private void addShown(DashboardPanel panel, DashboardData data, String run, List<MetricSeries> shownSeries) {
        for (MetricSeries raw : panel.series(data)) {
            String name = run == null ? raw.name() : run + " · " + raw.name();
            shownSeries.add(displayed.computeIfAbsent(raw, r -> new DisplayedSeries(r, name, transformFor(panel))).shown());
        }
    }

    /** Draws every panel anew for the runs now compared: their names, and so every shown copy, may differ. */
    private void rebindAll() {
        displayed.values().forEach(DisplayedSeries::close);
        displayed.clear();
        comparedEntropy.forEach(list -> list.removeListener(entropyChanged));
        comparedEntropy.clear();
        for (ComparedRun run : getSkinnable().getComparedRuns()) {
            run.data().entropySeries().addListener(entropyChanged);
            comparedEntropy.add(run.data().entropySeries());
        }
        for (DashboardPanel panel : DashboardPanel.values()) {
            bindPanel(panel);
        }
    }

    /** Every run drawn: the dashboard's own, then the compared ones. */
    private List<DashboardData> runs() {
        List<DashboardData> runs = new ArrayList<>();
        runs.add(getSkinnable().data());
        getSkinnable().getComparedRuns().forEach(run -> runs.add(run.data()));
        return runs;
    }

    private SeriesTransform transformFor(DashboardPanel panel) {
        RunDashboard control = getSkinnable();
        double smoothing = panel.smoothed() ? Math.min(RunDashboard.MAX_SMOOTHING, control.smoothingProperty().get()) : 0;
        return new SeriesTransform(smoothing, control.logScaleProperty().get());
    }

    private void applyTransform() {
        boolean log = getSkinnable().logScaleProperty().get();
        for (DashboardPanel panel : DashboardPanel.values()) {
            SeriesTransform transform = transformFor(panel);
            boolean replaced = false;
            for (DashboardData run : runs()) {
                for (MetricSeries raw : panel.series(run)) {
                    DisplayedSeries d = displayed.get(raw);
                    replaced |= d != null && d.setTransform(transform);
                }
            }
            if (replaced) {
                bindPanel(panel);
            }
            charts.get(panel).yAxisLabelProperty().set(log ? "log10 " + panel.unit() : panel.unit());
        }
    }

    private void updateHeadline() {
        DashboardData data = getSkinnable().data();
        MetricSeries loss = data.loss();
        String step = loss.size() == 0 ? "—" : String.format(Locale.ROOT, "%.0f", loss.maxX());
        headline.setText(String.format(Locale.ROOT, "step %s   ·   loss %s   ·   val loss %s   ·   %s tokens/s",
                step, figure(loss.lastY(), "%.4f"), figure(data.valLoss().lastY(), "%.4f"),
                figure(data.tokensPerSecond().lastY(), "%,.0f")));
    }

    private static String figure(double value, String format) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, format, value);
    }
}
