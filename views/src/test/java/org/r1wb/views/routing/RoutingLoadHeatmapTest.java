package org.r1wb.views.routing;

import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class RoutingLoadHeatmapTest {

    private static final int EXPERTS = 4;
    private final RoutingHistory history = new RoutingHistory();
    private RoutingLoadHeatmap heatmap;

    @Start
    void start(Stage stage) {
        heatmap = new RoutingLoadHeatmap();
        heatmap.historyProperty().set(history);
        heatmap.layerProperty().set(1);
        stage.setScene(new Scene(heatmap, 700, 420));
        stage.show();
    }

    /** Layer 1 sends more and more to expert 0; layer 2 the reverse order: the two pictures must differ. */
    private static List<RoutingSample> samples() {
        List<RoutingSample> all = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            double a = 0.25 + 0.1 * s;
            double rest = (1 - a) / 3;
            all.add(new RoutingSample(10L * (s + 1), 1, new double[] {a, rest, rest, rest}, 0.1 * s, 1.3,
                    new double[] {-0.01 * s, 0.004, 0.003, 0.002}));
            all.add(new RoutingSample(10L * (s + 1), 2, new double[] {rest, rest, rest, a}, 0.2 * s, 1.2,
                    new double[] {0.001, 0.002, 0.003, -0.01 * s}));
        }
        return all;
    }

    private RoutingLoadHeatmapSkin skin() {
        return (RoutingLoadHeatmapSkin) heatmap.getSkin();
    }

    @Test
    void cellsHoldTheLoadOfTheirStepAndExpert(FxRobot robot) {
        robot.interact(() -> history.addAll(samples()));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(skin().columns()).isEqualTo(5);
        assertThat(skin().experts()).isEqualTo(EXPERTS);
        assertThat(skin().colourScaleMax()).isEqualTo(0.25 + 0.1 * 4);
        for (int s = 0; s < 5; s++) {
            assertThat(skin().columnStep(s)).isEqualTo(10L * (s + 1));
            assertThat(skin().cellValue(0, s)).isEqualTo(0.25 + 0.1 * s);
            assertThat(skin().cellArgb(0, s)).isEqualTo(HeatColors.argb((0.25 + 0.1 * s) / skin().colourScaleMax()));
        }
        // the fuller cell is the brighter one
        assertThat(luminance(skin().cellArgb(0, 4))).isGreaterThan(luminance(skin().cellArgb(1, 4)));
    }

    @Test
    void changingLayerChangesThePicture(FxRobot robot) {
        robot.interact(() -> history.addAll(samples()));
        WaitForAsyncUtils.waitForFxEvents();
        int before = skin().cellArgb(0, 4);
        long paints = skin().paints();

        robot.interact(() -> heatmap.layerProperty().set(2));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(skin().paints()).isGreaterThan(paints);
        assertThat(skin().cellValue(3, 4)).isEqualTo(0.25 + 0.1 * 4);
        assertThat(skin().cellArgb(0, 4)).isNotEqualTo(before);
    }

    @Test
    void hoverReadsTheCellOut(FxRobot robot) {
        robot.interact(() -> history.addAll(samples()));
        WaitForAsyncUtils.waitForFxEvents();
        // the cells start at x 46, y 30: the middle of the canvas is inside them
        robot.interact(() -> skin().canvas().fireEvent(mouseMoved(60, 35)));
        assertThat(skin().hoverText()).startsWith("step 10 · E0 · load 25.00%");
    }

    @Test
    void manyChangesBetweenPulsesPaintOnce(FxRobot robot) {
        long paints = skin().paints();
        robot.interact(() -> {
            for (RoutingSample sample : samples()) {
                history.add(sample);
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin().paints() - paints).isEqualTo(1);
    }

    @Test
    void disposedSkinStopsListening(FxRobot robot) {
        RoutingLoadHeatmapSkin old = skin();
        robot.interact(() -> heatmap.setSkin(new RoutingLoadHeatmapSkin(heatmap)));
        long oldPaints = old.paints();
        robot.interact(() -> history.addAll(samples()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(old.paints()).isEqualTo(oldPaints);
        assertThat(skin().columns()).isEqualTo(5);
    }

    static MouseEvent mouseMoved(double x, double y) {
        return new MouseEvent(MouseEvent.MOUSE_MOVED, x, y, x, y, MouseButton.NONE, 0,
                false, false, false, false, false, false, false, false, false, false, null);
    }

    private static double luminance(int argb) {
        return 0.2126 * (argb >> 16 & 0xff) + 0.7152 * (argb >> 8 & 0xff) + 0.0722 * (argb & 0xff);
    }
}
