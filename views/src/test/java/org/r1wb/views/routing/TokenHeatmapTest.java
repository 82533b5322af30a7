package org.r1wb.views.routing;

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
class TokenHeatmapTest {

    private TokenHeatmap heatmap;

    @Start
    void start(Stage stage) {
        heatmap = new TokenHeatmap();
        stage.setScene(new Scene(heatmap, 700, 420));
        stage.show();
    }

    private TokenHeatmapSkin skin() {
        return (TokenHeatmapSkin) heatmap.getSkin();
    }

    private static TokenRouting matrix(int layer, int hot) {
        double[][] w = new double[3][4];
        for (int t = 0; t < 3; t++) {
            w[t][(hot + t) % 4] = 0.7;
            w[t][(hot + t + 1) % 4] = 0.2;
            w[t][(hot + t + 2) % 4] = 0.1;
        }
        return new TokenRouting(100, layer, List.of("The", " cat", " sat"), w);
    }

    @Test
    void cellsAreTheGateWeightsAndHoverListsTopK(FxRobot robot) {
        robot.interact(() -> {
            heatmap.getMatrices().put(1, matrix(1, 0));
            heatmap.getMatrices().put(2, matrix(2, 2));
            heatmap.layerProperty().set(1);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin().colourScaleMax()).isEqualTo(0.7);
        assertThat(skin().cellArgb(1, 1)).isEqualTo(HeatColors.argb(1.0));
        assertThat(skin().cellArgb(1, 2)).isEqualTo(HeatColors.argb(0.2 / 0.7));
        assertThat(skin().cellArgb(1, 0)).isEqualTo(HeatColors.argb(0));

        double[] centre = skin().cellCentre(1, 0);
        robot.interact(() -> skin().canvas().fireEvent(RoutingLoadHeatmapTest.mouseMoved(centre[0], centre[1])));
        assertThat(skin().hoverText()).isEqualTo("\"·cat\" (#1): E1 0.700 · E2 0.200");

        int before = skin().cellArgb(1, 1);
        robot.interact(() -> heatmap.layerProperty().set(2));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin().shown().layer()).isEqualTo(2);
        assertThat(skin().cellArgb(1, 1)).isNotEqualTo(before);
        assertThat(skin().hoverText()).isEmpty();
    }

    @Test
    void topExpertsAreOrderedByWeight() {
        TokenRouting m = new TokenRouting(1, 0, List.of("a"), new double[][] {{0.1, 0.5, 0.05, 0.35}});
        assertThat(m.topExperts(0, 3)).containsExactly(1, 3, 0);
    }
}
