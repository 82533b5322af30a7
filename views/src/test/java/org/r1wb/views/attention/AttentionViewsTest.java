package org.r1wb.views.attention;

import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.r1wb.views.routing.HeatColors;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class AttentionViewsTest {

    private static final List<String> TOKENS = List.of("2", "+", "3", "=");
    private final AttentionSet set = new AttentionSet();
    private AttentionHeadView headView;
    private AttentionModelView modelView;

    @Start
    void start(Stage stage) {
        headView = new AttentionHeadView();
        headView.attentionProperty().set(set);
        headView.layerProperty().set(1);
        modelView = new AttentionModelView();
        modelView.attentionProperty().set(set);
        headView.setPrefSize(500, 400);
        modelView.setPrefSize(500, 400);
        stage.setScene(new Scene(new HBox(headView, modelView), 1000, 400));
        stage.show();
    }

    /** A causal map whose row q puts weight (k+1+head)/sum on key k ≤ q. */
    static AttentionMap causal(int layer, int head) {
        double[][] w = new double[TOKENS.size()][];
        for (int q = 0; q < w.length; q++) {
            w[q] = new double[q + 1];
            double sum = 0;
            for (int k = 0; k <= q; k++) {
                sum += k + 1 + head;
            }
            for (int k = 0; k <= q; k++) {
                w[q][k] = (k + 1 + head) / sum;
            }
        }
        return new AttentionMap(200, layer, head, TOKENS, w);
    }

    @Test
    void headViewDrawsOneLinePerWeightWithItsOpacity(FxRobot robot) {
        robot.interact(() -> set.putAll(List.of(causal(1, 0), causal(1, 1), causal(2, 0))));
        WaitForAsyncUtils.waitForFxEvents();
        AttentionHeadViewSkin skin = (AttentionHeadViewSkin) headView.getSkin();

        // 2 heads × (1 + 2 + 3 + 4) causal weights, all above the drawing threshold
        assertThat(skin.drawnLines()).hasSize(20);
        for (AttentionHeadViewSkin.DrawnLine line : skin.drawnLines()) {
            assertThat(line.opacity()).isEqualTo(set.get(1, line.head()).weight(line.query(), line.key()));
        }
        assertThat(skin.drawnLines()).contains(new AttentionHeadViewSkin.DrawnLine(1, 3, 2, 4.0 / 14));

        robot.interact(() -> headView.headProperty().set(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(skin.drawnLines()).hasSize(10).allMatch(l -> l.head() == 1);
    }

    @Test
    void modelViewThumbnailsAreTheMatricesAndClickSelects(FxRobot robot) {
        robot.interact(() -> set.putAll(List.of(causal(1, 0), causal(1, 1), causal(2, 0), causal(2, 1))));
        WaitForAsyncUtils.waitForFxEvents();
        AttentionModelViewSkin skin = (AttentionModelViewSkin) modelView.getSkin();

        assertThat(skin.thumbnailArgb(2, 1, 3, 1)).isEqualTo(HeatColors.argb(3.0 / 14));
        assertThat(skin.thumbnailArgb(1, 0, 0, 0)).isEqualTo(HeatColors.argb(1));
        assertThat(skin.thumbnailArgb(1, 0, 0, 3)).isEqualTo(HeatColors.argb(0));

        double[] centre = skin.thumbnailCentre(2, 1);
        // events carry scene coordinates; the node's local ones are derived from them
        var scene = skin.canvas().localToScene(centre[0], centre[1]);
        robot.interact(() -> skin.canvas().fireEvent(new MouseEvent(MouseEvent.MOUSE_CLICKED, scene.getX(), scene.getY(),
                scene.getX(), scene.getY(), MouseButton.PRIMARY, 1, false, false, false, false, true, false, false,
                false, false, false, null)));
        assertThat(modelView.selectedProperty().get()).isEqualTo(new AttentionModelView.HeadRef(2, 1));
    }
}
