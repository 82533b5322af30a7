package org.r1wb.views.device;

import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.RowConstraints;
import org.r1wb.views.chart.MetricChart;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Lays out a {@link DeviceView}: the state line on top, a 2 × 2 grid of charts (hidden for a CPU-only run). */
public class DeviceViewSkin extends SkinBase<DeviceView> {

    private final Label state = new Label();
    private final GridPane grid = new GridPane();
    private final Map<DeviceHistory.Figure, MetricChart> charts = new EnumMap<>(DeviceHistory.Figure.class);
    private final InvalidationListener changed = o -> update();

    public DeviceViewSkin(DeviceView control) {
        super(control);
        state.getStyleClass().add(DeviceView.STATE_STYLE_CLASS);
        state.setPadding(new Insets(6, 8, 6, 8));
        for (int i = 0; i < 2; i++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(50);
            grid.getColumnConstraints().add(column);
            RowConstraints row = new RowConstraints();
            row.setPercentHeight(50);
            grid.getRowConstraints().add(row);
        }
        int i = 0;
        for (DeviceHistory.Figure figure : DeviceHistory.Figure.values()) {
            MetricChart chart = new MetricChart();
            chart.titleProperty().set(figure.title());
            chart.xAxisLabelProperty().set("minutes");
            chart.yAxisLabelProperty().set(figure.unit());
            chart.emptyTextProperty().set("No device events yet");
            Bindings.bindContent(chart.getSeries(), control.history().series(figure));
            GridPane.setHgrow(chart, Priority.ALWAYS);
            GridPane.setVgrow(chart, Priority.ALWAYS);
            grid.add(chart, i % 2, i / 2);
            charts.put(figure, chart);
            i++;
        }
        BorderPane root = new BorderPane(grid);
        root.setTop(state);
        getChildren().add(root);
        control.history().cpuOnlyProperty().addListener(changed);
        control.history().series(DeviceHistory.Figure.UTILISATION).addListener(changed);
        update();
    }

    /** The chart of one figure (for tests). */
    public MetricChart chart(DeviceHistory.Figure figure) {
        return charts.get(figure);
    }

    /** The state line as shown. */
    public String stateText() {
        return state.getText();
    }

    @Override
    public void dispose() {
        DeviceView control = getSkinnable();
        if (control == null) {
            return;
        }
        control.history().cpuOnlyProperty().removeListener(changed);
        control.history().series(DeviceHistory.Figure.UTILISATION).removeListener(changed);
        charts.forEach((figure, chart) ->
                Bindings.unbindContent(chart.getSeries(), control.history().series(figure)));
        super.dispose();
    }

    private void update() {
        CpuOnly cpu = getSkinnable().history().cpuOnlyProperty().get();
        grid.setVisible(cpu == null);
        if (cpu != null) {
            StringJoiner text = new StringJoiner(" · ", "CPU only — ", "");
            text.add(cpu.reason());
            if (cpu.cores() > 0) {
                text.add(cpu.cores() + " cores");
            }
            if (!Double.isNaN(cpu.rssMib())) {
                text.add(String.format(Locale.ROOT, "RSS %.0f MiB", cpu.rssMib()));
            }
            state.setText(text.toString());
        } else if (getSkinnable().history().devices().isEmpty()) {
            state.setText("No device events yet");
        } else {
            StringJoiner text = new StringJoiner(" · ");
            getSkinnable().history().devices().forEach((index, name) -> text.add("GPU " + index + ": " + name));
            state.setText(text.toString());
        }
    }
}
