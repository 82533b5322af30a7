package org.r1wb.views.device;

import javafx.scene.Scene;
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
class DeviceViewTest {

    private final DeviceHistory history = new DeviceHistory();
    private DeviceView view;

    @Start
    void start(Stage stage) {
        view = new DeviceView(history);
        stage.setScene(new Scene(view, 800, 500));
        stage.show();
    }

    @Test
    void eachDeviceGetsALinePerFigure(FxRobot robot) {
        robot.interact(() -> history.addAll(List.of(
                new DeviceSample(0, 0, "NVIDIA H200", 91, 40_960, 143_771, 61, 512),
                new DeviceSample(0, 1, "NVIDIA H200", 88, 39_936, 143_771, 59, 498),
                new DeviceSample(30_000, 0, "NVIDIA H200", 95, 41_984, 143_771, 63, 530))));
        WaitForAsyncUtils.waitForFxEvents();
        DeviceViewSkin skin = (DeviceViewSkin) view.getSkin();

        var util = history.series(DeviceHistory.Figure.UTILISATION);
        assertThat(util).hasSize(2);
        assertThat(util.get(0).size()).isEqualTo(2);
        assertThat(util.get(0).x(1)).isEqualTo(0.5);
        assertThat(util.get(0).y(1)).isEqualTo(95);
        assertThat(history.series(DeviceHistory.Figure.MEMORY).get(1).y(0)).isEqualTo(39);
        assertThat(skin.chart(DeviceHistory.Figure.POWER).getSeries()).hasSize(2);
        assertThat(skin.stateText()).isEqualTo("GPU 0: NVIDIA H200 · GPU 1: NVIDIA H200");
    }

    @Test
    void cpuOnlyIsAStateNotEmptyCharts(FxRobot robot) {
        robot.interact(() -> history.cpuOnlyProperty().set(new CpuOnly("no nvidia-smi on the node's PATH", 2, 812)));
        DeviceViewSkin skin = (DeviceViewSkin) view.getSkin();
        assertThat(skin.stateText()).isEqualTo("CPU only — no nvidia-smi on the node's PATH · 2 cores · RSS 812 MiB");
        assertThat(skin.chart(DeviceHistory.Figure.UTILISATION).getParent().isVisible()).isFalse();
    }
}
