package org.r1wb.views.dashboard;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.views.chart.MetricSeries;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class RunDashboardTest {

    private final DashboardData data = new DashboardData();
    private RunDashboard dashboard;

    @Start
    void start(Stage stage) {
        dashboard = new RunDashboard(data);
        stage.setScene(new Scene(dashboard, 1000, 600));
        stage.show();
    }

    private RunDashboardSkin skin() {
        return (RunDashboardSkin) dashboard.getSkin();
    }

    @Test
    void smoothingAndLogChangeWhatIsDrawnNotTheData(FxRobot robot, @TempDir Path dir) throws Exception {
        robot.interact(() -> {
            data.loss().appendAll(new double[] {1, 2, 3}, new double[] {100, 10, 1000});
            data.learningRate().appendAll(new double[] {1, 2, 3}, new double[] {1e-4, 2e-4, 3e-4});
            data.entropy(1).append(3, 1.9);
        });
        assertThat(skin().shown(data.loss()).y(1)).isEqualTo(10);
        assertThat(skin().chart(DashboardPanel.ROUTER_ENTROPY).getSeries()).extracting(MetricSeries::name)
                .containsExactly("entropy L1");

        robot.interact(() -> {
            dashboard.smoothingProperty().set(0.5);
            dashboard.logScaleProperty().set(true);
        });
        // log10 then smoothed: (0.5·0.5·2 + 0.5·1) / 0.75 = 4/3
        MetricSeries shownLoss = skin().shown(data.loss());
        assertThat(shownLoss.y(1)).isCloseTo(4.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        WaitForAsyncUtils.waitForFxEvents();
        // the chart draws the transformed points
        assertThat(skin().chart(DashboardPanel.LOSS).getSeries()).contains(shownLoss);
        assertThat(((org.r1wb.views.chart.MetricChartSkin) skin().chart(DashboardPanel.LOSS).getSkin())
                .drawn(shownLoss).pointYs()[1]).isCloseTo(4.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        // the schedule is never smoothed
        assertThat(skin().shown(data.learningRate()).y(1)).isEqualTo(Math.log10(2e-4));
        assertThat(data.loss().y(1)).isEqualTo(10);
        assertThat(skin().chart(DashboardPanel.LOSS).yAxisLabelProperty().get()).isEqualTo("log10 loss");
        assertThat(skin().headlineText()).startsWith("step 3   ·   loss 1000.0000");

        Path png = dir.resolve("d.png");
        robot.interact(() -> {
            try {
                dashboard.exportPng(png);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(1000);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
