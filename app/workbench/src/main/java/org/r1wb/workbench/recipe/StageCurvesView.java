package org.r1wb.workbench.recipe;

import javafx.beans.InvalidationListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import org.r1wb.views.chart.MetricChart;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.dashboard.DashboardCsv;
import org.r1wb.views.dashboard.RunDashboard;
import org.r1wb.views.snapshot.ExportDialog;
import org.r1wb.views.snapshot.Snapshots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live curves of one recipe stage: a header with its state and latest figures, a tool bar (smoothing, CSV and
 * PNG export, as on the run dashboard) and one {@link MetricChart} per {@link StageCurvePanel} of its kind, three to a
 * row, every chart against the stage's step. Drawn from a {@link StageCurvesModel}; closing the view stops following
 * the journal.
 */
public final class StageCurvesView extends BorderPane implements AutoCloseable {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "stage-curves";
    private static final int COLUMNS = 3;
    /** Charts whose latest value the header shows. */
    private static final int HEADLINE_PANELS = 3;

    private final StageCurvesModel model;
    private final List<StageCurvePanel> panels;
    private final Map<StageCurvePanel, MetricChart> charts = new LinkedHashMap<>();
    private final Slider smoothing = new Slider(0, RunDashboard.MAX_SMOOTHING, 0.6);
    private final Label headline = new Label();

    /** The curves of {@code model}'s stage (a recipe named {@code recipe}). */
    public StageCurvesView(StageCurvesModel model, String recipe) {
        this.model = model;
        this.panels = StageCurvePanel.of(model.kind());
        getStyleClass().add(STYLE_CLASS);
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        for (int c = 0; c < COLUMNS; c++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(100.0 / COLUMNS);
            grid.getColumnConstraints().add(column);
        }
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        for (int r = 0; r < rows; r++) {
            RowConstraints row = new RowConstraints();
            row.setPercentHeight(100.0 / rows);
            grid.getRowConstraints().add(row);
        }
        for (int i = 0; i < panels.size(); i++) {
            StageCurvePanel panel = panels.get(i);
            MetricChart chart = new MetricChart();
            chart.titleProperty().set(panel.title());
            chart.xAxisLabelProperty().set("step");
            chart.yAxisLabelProperty().set(panel.unit());
            chart.emptyTextProperty().set("No " + panel.title().toLowerCase(Locale.ROOT) + " for stage "
                    + model.stage() + " yet");
            if (panel.smoothed()) {
                chart.smoothingProperty().bind(smoothing.valueProperty());
            }
            GridPane.setHgrow(chart, Priority.ALWAYS);
            GridPane.setVgrow(chart, Priority.ALWAYS);
            grid.add(chart, i % COLUMNS, i / COLUMNS);
            charts.put(panel, chart);
        }
        setTop(new VBox(header(recipe), toolBar()));
        setCenter(grid);
        BorderPane.setMargin(grid, new Insets(0, 8, 8, 8));

        model.series().addListener((ListChangeListener<MetricSeries>) c -> bindCharts());
        InvalidationListener figures = o -> updateHeadline();
        model.stepProperty().addListener(figures);
        model.stateProperty().addListener(figures);
        bindCharts();
        updateHeadline();
    }

    public StageCurvesModel model() {
        return model;
    }

    /** The charts, in reading order. */
    public List<StageCurvePanel> panels() {
        return panels;
    }

    /** The chart of {@code panel}. */
    public MetricChart chart(StageCurvePanel panel) {
        return charts.get(panel);
    }

    /** The chart titled {@code title}, if the stage's kind has one. */
    public MetricChart chart(String title) {
        return panels.stream().filter(p -> p.title().equals(title)).findFirst().map(charts::get).orElse(null);
    }

    /** The header's line of latest figures. */
    public String headlineText() {
        return headline.getText();
    }

    /** Writes every series of the stage, all points, to {@code file} as CSV. */
    public void exportCsv(Path file) throws IOException {
        DashboardCsv.write(List.copyOf(model.series()), file);
    }

    /** Stops following the journal; call when the tab closes. */
    @Override
    public void close() {
        model.close();
    }

    private void bindCharts() {
        for (StageCurvePanel panel : panels) {
            List<MetricSeries> drawn = drawn(panel);
            MetricChart chart = charts.get(panel);
            if (!chart.getSeries().equals(drawn)) {
                chart.getSeries().setAll(drawn);
            }
        }
    }

    /** The series {@code panel} draws: the training ones first, then the held-out ones, each in journal order. */
    private List<MetricSeries> drawn(StageCurvePanel panel) {
        return model.series().stream().filter(s -> panel.draws().test(s.name()))
                .sorted(Comparator.comparing(s -> s.style() == MetricSeries.Style.LINE_AND_MARKERS)).toList();
    }

    private VBox header(String recipe) {
        Label title = new Label(model.stage());
        title.getStyleClass().add("run-title");
        Label kind = new Label(model.kind().id() + " stage of " + recipe);
        kind.getStyleClass().add("run-stage");
        Label state = new Label();
        state.getStyleClass().add("run-state");
        state.textProperty().bind(model.stateProperty());
        model.stateProperty().addListener((o, was, now) -> styleState(state, now));
        styleState(state, model.stateProperty().get());
        Label message = new Label();
        message.getStyleClass().add("run-message");
        message.textProperty().bind(model.messageProperty());
        HBox row = new HBox(10, title, kind, state, message);
        row.setAlignment(Pos.BASELINE_LEFT);
        Label problem = new Label();
        problem.getStyleClass().add("run-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        VBox header = new VBox(6, row, problem);
        header.getStyleClass().add("run-header");
        return header;
    }

    private HBox toolBar() {
        headline.getStyleClass().add(RunDashboard.HEADLINE_STYLE_CLASS);
        Label smoothingLabel = new Label();
        smoothingLabel.textProperty().bind(smoothing.valueProperty().asString(Locale.ROOT, "smoothing %.2f"));
        smoothing.setPrefWidth(140);
        Button csv = new Button("Export CSV…");
        csv.setOnAction(e -> export("CSV", "*.csv", model.stage() + "-metrics.csv"));
        Button png = new Button("Export PNG…");
        png.setOnAction(e -> export("PNG", "*.png", model.stage() + "-curves.png"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // the figures give way to the controls when the tab is narrow
        headline.setMinWidth(0);
        for (Region control : List.of(smoothingLabel, smoothing, csv, png)) {
            control.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(10, headline, spacer, smoothingLabel, smoothing, csv, png);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        return bar;
    }

    private void export(String kind, String pattern, String defaultName) {
        ExportDialog.save(getScene().getWindow(), kind, pattern, defaultName, file -> {
            if ("CSV".equals(kind)) {
                exportCsv(file);
            } else {
                Snapshots.writePng(snapshot(null, null), file);
            }
        });
    }

    /** "step 40   ·   reward 0.8123   ·   val_reward 0.7012 (step 40)   ·   kl 0.0361". */
    private void updateHeadline() {
        long step = model.stepProperty().get();
        List<String> parts = new ArrayList<>();
        parts.add("step " + (step < 0 ? "—" : String.format(Locale.ROOT, "%,d", step)));
        for (StageCurvePanel panel : panels.subList(0, Math.min(HEADLINE_PANELS, panels.size()))) {
            drawn(panel).stream().filter(s -> s.size() > 0).findFirst()
                    .ifPresent(s -> parts.add(s.name() + " " + figure(s.lastY())
                            + (s.style() == MetricSeries.Style.LINE_AND_MARKERS
                            ? String.format(Locale.ROOT, " (step %.0f)", s.x(s.size() - 1)) : "")));
        }
        headline.setText(String.join("   ·   ", parts));
    }

    private static String figure(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.1f", value)
                : String.format(Locale.ROOT, "%.4f", value);
    }

    private static void styleState(Label label, String state) {
        label.getStyleClass().removeIf(c -> c.startsWith("run-state-"));
        label.getStyleClass().add("run-state-" + state.replace(' ', '-'));
    }
}
