package org.r1wb.views.chart;

import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.atomic.AtomicReference;

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
        change(robot, () -> {
            loss.appendAll(new double[] {0, 1, 2}, new double[] {5, 4, 3.5});
            valLoss.append(2, 3.9);
        });

        assertThat(skin().drawn(loss).pointYs()).containsExactly(5.0, 4.0, 3.5);
        assertThat(skin().drawn(valLoss).pointYs()).containsExactly(3.9);
        assertThat(robot.lookup("." + MetricChart.EMPTY_STYLE_CLASS).queryLabeled().isVisible()).isFalse();
    }

    @Test
    void refilledSeriesOfTheSameLengthIsDrawnAnew(FxRobot robot) {
        change(robot, () -> valLoss.appendAll(new double[] {4, 8, 12}, new double[] {0.75, 0.83, 0.83}));
        change(robot, () -> loss.appendAll(new double[] {4, 8, 12}, new double[] {0.7, 0.8, 0.9}));
        int[] before = pixels(robot);
        // a chooser switching the shown metric: same steps, other values, cleared and refilled in one pulse
        change(robot, () -> {
            valLoss.clear();
            valLoss.appendAll(new double[] {4, 8, 12}, new double[] {0.9, 0.7, 0.78});
        });
        assertThat(skin().drawn(valLoss).pointYs()).containsExactly(0.9, 0.7, 0.78);
        assertThat(differing(before, pixels(robot))).as("pixels changed by the refill").isGreaterThan(20);

        change(robot, () -> valLoss.replaceAll(new double[] {4, 8, 12}, new double[] {4.2, 4.0, 4.1}));
        assertThat(skin().drawn(valLoss).pointYs()).containsExactly(4.2, 4.0, 4.1);
    }

    @Test
    void unchangedChartIsNotRedrawn(FxRobot robot) {
        change(robot, () -> loss.appendAll(new double[] {0, 1, 2}, new double[] {5, 4, 3.5}));
        DecimatedLine first = skin().drawn(loss);
        change(robot, () -> { });
        assertThat(skin().drawn(loss)).as("the same drawing, not a new one").isSameAs(first);
        change(robot, () -> loss.append(3, 3));
        assertThat(skin().drawn(loss)).isNotSameAs(first);
    }

    @Test
    void chartGrownPointByPointPaintsWhatOneDrawnAtOncePaints(FxRobot robot) {
        java.util.Random random = new java.util.Random(11);
        int n = 6_000;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            // a resumed run repeats steps 3000-3399, and one value is missing: both break the simple growth
            xs[i] = i < 4_000 ? i : i - 400;
            ys[i] = i == 2_500 ? Double.NaN : 3 * Math.exp(-i / 2_000.0) + 0.2 * random.nextGaussian();
        }
        int at = 0;
        for (int chunk : new int[] {1_500, 1, 1, 7, 1_000, 1, 1_490, 1, 500, 1, 1_498}) {
            int from = at;
            change(robot, () -> loss.appendAll(java.util.Arrays.copyOfRange(xs, from, from + chunk),
                    java.util.Arrays.copyOfRange(ys, from, from + chunk)));
            at += chunk;
        }
        assertThat(at).isEqualTo(n);
        int[] grown = pixels(robot);
        // the same points again as a new generation: a new decimation, every column painted afresh
        change(robot, () -> loss.replaceAll(xs, ys));
        int[] fresh = pixels(robot);
        assertThat(skin().drawn(loss).pointCount()).isGreaterThan(600);
        assertThat(differing(grown, fresh)).isZero();
    }

    @Test
    void emptyChartSaysSo(FxRobot robot) {
        assertThat(robot.lookup("." + MetricChart.EMPTY_STYLE_CLASS).queryLabeled().isVisible()).isTrue();
    }

    @Test
    void longSeriesKeepsEveryPointAndDrawsItsEnvelope(FxRobot robot) {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 8 * Math.exp(-i / 9000.0) + 1 + 0.1 * Math.sin(i);
        }
        y[31_337] = 50;
        y[77_777] = -3;
        change(robot, () -> loss.appendAll(x, y));

        assertThat(loss.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(loss.x(i)).isEqualTo(x[i]);
            assertThat(loss.y(i)).isEqualTo(y[i]);
        }
        DecimatedLine drawn = skin().drawn(loss);
        assertThat(drawn.pointCount()).isBetween(100, 4 * 640);
        double[] xs = drawn.pointXs();
        assertThat(xs[0]).isEqualTo(0.0);
        assertThat(xs[xs.length - 1]).isEqualTo(n - 1.0);
        assertThat(drawn.pointYs()).as("single-step spikes survive decimation").contains(50.0, -3.0);
        assertThat(skin().yRange().contains(50) && skin().yRange().contains(-3)).isTrue();
    }

    @Test
    void hoverShowsTheNearestPointOfEachSeries(FxRobot robot) {
        change(robot, () -> {
            for (int step = 0; step <= 100; step += 10) {
                loss.append(step, 5 - step / 40.0);
            }
            valLoss.appendAll(new double[] {0, 50, 100}, new double[] {4.5, 3.625, 2.875});
        });
        robot.moveTo(screen(40, 5 - 40 / 40.0));
        String text = skin().readoutText();
        assertThat(text).contains("step 40").contains("loss  4").contains("val_loss  3.625  (at 50)");

        robot.moveTo(screen(70, 5 - 70 / 40.0));
        assertThat(skin().readoutText()).contains("step 70").contains("loss  3.25").doesNotContain("step 40");
    }

    @Test
    void boxZoomNarrowsTheXRangeAndResetRestoresIt(FxRobot robot) {
        change(robot, () -> {
            for (int step = 0; step <= 1000; step++) {
                loss.append(step, Math.sin(step / 50.0));
            }
        });
        AxisRange full = skin().xRange();
        assertThat(full.contains(0) && full.contains(1000)).isTrue();
        double pixel = full.span() / skin().canvas().getWidth();

        Point2D from = screen(200, 0.8);
        Point2D via = screen(400, 0);
        Point2D to = screen(600, -0.8);
        robot.moveTo(from).press(MouseButton.PRIMARY).moveTo(via).moveTo(to).release(MouseButton.PRIMARY);
        settle(robot);
        AxisRange zoomed = skin().xRange();
        assertThat(zoomed.min()).isCloseTo(200, Offset.offset(3 * pixel));
        assertThat(zoomed.max()).isCloseTo(600, Offset.offset(3 * pixel));
        assertThat(skin().yRange().min()).isCloseTo(-0.8, Offset.offset(0.05));
        assertThat(skin().drawn(loss).pointXs()).as("one point per step in view: more columns than steps")
                .contains(201.0, 300.0, 400.0, 500.0, 599.0);

        robot.doubleClickOn(screen(400, 0), MouseButton.PRIMARY);
        settle(robot);
        assertThat(skin().xRange()).isEqualTo(full);

        robot.clickOn(screen(400, 0));
        robot.type(KeyCode.ADD);
        settle(robot);
        assertThat(skin().xRange().span()).isCloseTo(full.span() * 0.8, Offset.offset(1e-6));
        robot.type(KeyCode.DIGIT0);
        settle(robot);
        assertThat(skin().xRange()).isEqualTo(full);
    }

    @Test
    void dragWithTheSecondaryButtonPans(FxRobot robot) {
        change(robot, () -> {
            for (int step = 0; step <= 1000; step++) {
                loss.append(step, Math.cos(step / 80.0));
            }
        });
        robot.interact(() -> skin().zoomTo(new AxisRange(100, 300), null));
        settle(robot);
        // the view moves while dragging: the points are taken before
        Point2D from = screen(250, 0);
        Point2D via = screen(200, 0);
        Point2D to = screen(150, 0);
        robot.moveTo(from).press(MouseButton.SECONDARY).moveTo(via).moveTo(to).release(MouseButton.SECONDARY);
        settle(robot);
        assertThat(skin().xRange().min()).isCloseTo(200.0, Offset.offset(3.0));
        assertThat(skin().xRange().span()).isCloseTo(200, Offset.offset(1e-6));
    }

    @Test
    void logScaleLeavesOutNonPositiveValuesAndSaysSo(FxRobot robot) {
        change(robot, () -> {
            loss.appendAll(new double[] {1, 2, 3, 4, 5}, new double[] {-1, 0, 1, 10, 100});
            chart.logScaleProperty().set(true);
        });
        assertThat(skin().notice()).isEqualTo("log scale: 2 values \u2264 0 not drawn");
        assertThat(skin().drawn(loss).pointYs()).containsExactly(0.0, 1.0, 2.0);
        assertThat(skin().yRange().contains(0) && skin().yRange().contains(2)).isTrue();
        assertThat(loss.size()).as("nothing dropped from the series").isEqualTo(5);

        change(robot, () -> chart.logScaleProperty().set(false));
        assertThat(skin().notice()).isEmpty();
        assertThat(skin().drawn(loss).pointYs()).containsExactly(-1.0, 0.0, 1.0, 10.0, 100.0);
    }

    @Test
    void smoothingDrawsTheDebiasedMovingAverage(FxRobot robot) {
        change(robot, () -> {
            loss.appendAll(new double[] {1, 2, 3}, new double[] {2, 1, 4});
            chart.smoothingProperty().set(0.5);
        });
        // average a = 0.5 a + 0.5 y and weight w = 0.5 w + 0.5 from 0: a = 1, 1, 2.5 over w = 0.5, 0.75, 0.875
        assertThat(skin().drawn(loss).pointYs()).containsExactly(new double[] {2, 1 / 0.75, 2.5 / 0.875}, Offset.offset(1e-12));
    }

    @Test
    void removedSeriesIsNoLongerDrawnNorListenedTo(FxRobot robot) {
        change(robot, () -> chart.getSeries().remove(valLoss));
        assertThat(skin().drawn(valLoss)).isNull();
        change(robot, () -> valLoss.append(1, 1));
        assertThat(skin().drawn(valLoss)).isNull();
    }

    /** Runs {@code change} on the FX thread and lets the chart lay out (and so redraw) as a pulse would. */
    private void change(FxRobot robot, Runnable change) {
        robot.interact(change);
        settle(robot);
    }

    private void settle(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            chart.applyCss();
            chart.layout();
        });
    }

    private Point2D screen(double x, double y) {
        return skin().canvas().localToScreen(skin().toCanvas(x, y));
    }

    private int[] pixels(FxRobot robot) {
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(skin().canvas().snapshot(null, null)));
        PixelReader reader = image.get().getPixelReader();
        int w = (int) image.get().getWidth();
        int h = (int) image.get().getHeight();
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                argb[y * w + x] = reader.getArgb(x, y);
            }
        }
        return argb;
    }

    private static int differing(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            n += a[i] == b[i] ? 0 : 1;
        }
        return n;
    }

    private MetricChartSkin skin() {
        return (MetricChartSkin) chart.getSkin();
    }
}
