package org.r1wb.views.chart;

import javafx.scene.Scene;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import org.assertj.core.data.Offset;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class MetricChartTest {

    private MetricChart chart;
    private final MetricSeries loss = new MetricSeries("loss");
    private final MetricSeries valLoss = new MetricSeries("val_loss", MetricSeries.Style.LINE_AND_MARKERS);

    @Start
    void start(Stage stage) {
        chart = new MetricChart();
        chart.yAxisLabelProperty().set("loss");
        chart.getSeries().addAll(loss, valLoss);
        stage.setScene(new Scene(chart, 640, 400));
        stage.show();
    }

    @Test
    void smallSeriesIsDrawnPointForPoint(FxRobot robot) {
        robot.interact(() -> {
            loss.appendAll(new double[] {0, 1, 2}, new double[] {5, 4, 3.5});
            valLoss.append(2, 3.9);
        });
        WaitForAsyncUtils.waitForFxEvents();

        List<XYChart.Data<Number, Number>> drawn = skin().chartSeries(loss).getData();
        assertThat(drawn).extracting(d -> d.getYValue().doubleValue()).containsExactly(5.0, 4.0, 3.5);
        assertThat(drawn).allMatch(d -> d.getNode() == null);
        assertThat(skin().chartSeries(valLoss).getData()).singleElement()
                .satisfies(d -> assertThat(d.getNode()).isNotNull());
        assertThat(robot.lookup("." + MetricChart.EMPTY_STYLE_CLASS).queryLabeled().isVisible()).isFalse();
    }

    @Test
    void replacedSeriesOfTheSameSizeIsDrawnAnew(FxRobot robot) {
        robot.interact(() -> valLoss.appendAll(new double[] {4, 8, 12}, new double[] {0.75, 0.83, 0.83}));
        WaitForAsyncUtils.waitForFxEvents();
        // a chooser switching the shown metric: same steps, other values, cleared and refilled in one pulse
        robot.interact(() -> {
            valLoss.clear();
            valLoss.appendAll(new double[] {4, 8, 12}, new double[] {18.3, 15.9, 17.4});
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin().chartSeries(valLoss).getData()).extracting(d -> d.getYValue().doubleValue())
                .containsExactly(18.3, 15.9, 17.4);

        robot.interact(() -> valLoss.replaceAll(new double[] {4, 8, 12}, new double[] {4.2, 4.0, 4.1}));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin().chartSeries(valLoss).getData()).extracting(d -> d.getYValue().doubleValue())
                .containsExactly(4.2, 4.0, 4.1);
        assertThat(valLoss.generation()).isEqualTo(2);
    }

    @Test
    void emptyChartSaysSo(FxRobot robot) {
        assertThat(robot.lookup("." + MetricChart.EMPTY_STYLE_CLASS).queryLabeled().isVisible()).isTrue();
    }

    @Test
    void longSeriesIsDecimatedButKeptWhole(FxRobot robot) {
        int n = 50_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 8 * Math.exp(-i / 9000.0) + 1;
        }
        robot.interact(() -> loss.appendAll(x, y));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(loss.size()).isEqualTo(n);
        List<XYChart.Data<Number, Number>> drawn = skin().chartSeries(loss).getData();
        assertThat(drawn.size()).isBetween(100, MetricChart.DEFAULT_MAX_DRAWN_POINTS);
        assertThat(drawn.get(0).getXValue().doubleValue()).isEqualTo(0.0);
        assertThat(drawn.get(drawn.size() - 1).getXValue().doubleValue()).isEqualTo(n - 1.0);

        // growing past the budget in small batches keeps redrawing within it
        robot.interact(() -> {
            for (int i = 0; i < 10; i++) {
                loss.append(n + i, 1.0);
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<XYChart.Data<Number, Number>> after = skin().chartSeries(loss).getData();
        assertThat(after.size()).isLessThanOrEqualTo(MetricChart.DEFAULT_MAX_DRAWN_POINTS);
        assertThat(after.get(after.size() - 1).getXValue().doubleValue()).isEqualTo(n + 9.0);
    }

    @Test
    void incrementalAppendsWithinBudgetAreAllDrawn(FxRobot robot) {
        robot.interact(() -> {
            for (int i = 0; i < 300; i++) {
                loss.append(i, 10.0 - i * 0.01);
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> loss.append(300, 7.0));
        WaitForAsyncUtils.waitForFxEvents();

        List<XYChart.Data<Number, Number>> drawn = skin().chartSeries(loss).getData();
        assertThat(drawn).hasSize(301);
        assertThat(drawn.get(150).getYValue().doubleValue()).isEqualTo(10.0 - 150 * 0.01);
        assertThat(drawn.get(300).getYValue().doubleValue()).isEqualTo(7.0);
    }

    @Test
    void removedSeriesIsNoLongerDrawnNorListenedTo(FxRobot robot) {
        robot.interact(() -> chart.getSeries().remove(valLoss));
        assertThat(skin().chartSeries(valLoss)).isNull();
        robot.interact(() -> valLoss.append(1, 1));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin().chartSeries(valLoss)).isNull();
    }

    @Test
    void xAxisFitsTheStepsOnRoundTicks(FxRobot robot) {
        robot.interact(() -> {
            for (int step = 1; step <= 2000; step++) {
                loss.append(step, 3.0);
            }
        });
        WaitForAsyncUtils.waitForFxEvents();

        NumberAxis x = robot.lookup(".axis").queryAllAs(NumberAxis.class).stream()
                .filter(axis -> "step".equals(axis.getLabel()))
                .findFirst().orElseThrow();
        assertThat(x.getLowerBound()).isEqualTo(0.0);
        assertThat(x.getTickUnit()).isEqualTo(250.0);
        assertThat(x.getUpperBound()).as("just past the last round tick").isBetween(2000.0, 2000.0 + 250);
        assertThat(x.getTickMarks()).filteredOn(t -> !x.getTickLabelFormatter().toString(t.getValue()).isEmpty())
                .extracting(t -> t.getValue().doubleValue())
                .containsExactly(0.0, 250.0, 500.0, 750.0, 1000.0, 1250.0, 1500.0, 1750.0, 2000.0);
        assertThat(x.getTickMarks()).filteredOn(t -> t.getValue().doubleValue() == 2000.0)
                .singleElement()
                .satisfies(t -> assertThat(t.getPosition()).isLessThan(x.getWidth() - 10));
    }

    @Test
    void niceTicksAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertThat(MetricChartSkin.niceTick(250)).isEqualTo(250.0);
        assertThat(MetricChartSkin.niceTick(251)).isEqualTo(500.0);
        assertThat(MetricChartSkin.niceTick(0.13)).isEqualTo(0.2, Offset.offset(1e-12));
        assertThat(MetricChartSkin.niceTick(7)).isEqualTo(10.0);
    }

    private MetricChartSkin skin() {
        return (MetricChartSkin) chart.getSkin();
    }
}
