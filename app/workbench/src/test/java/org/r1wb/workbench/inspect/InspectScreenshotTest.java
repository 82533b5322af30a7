package org.r1wb.workbench.inspect;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.r1wb.model.run.EventJournal;
import org.r1wb.views.attention.AttentionModelView;
import org.r1wb.views.snapshot.Snapshots;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.Theme;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the inspector's views of the recorded demo run (with synthetic probe captures for the token and
 * attention views) from the real scene to {@code docs/screenshots/}.
 */
@ExtendWith(ApplicationExtension.class)
class InspectScreenshotTest {

    private final InspectionModel model = new InspectionModel();
    private InspectorView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Theme.LIGHT.apply();
        view = new InspectorView(model);
        Scene scene = new Scene(view, 1400, 860);
        scene.getStylesheets().add(Theme.WORKBENCH_CSS);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void shootsEveryView(FxRobot robot) throws Exception {
        robot.interact(() -> {
            try {
                model.apply(journalEvents());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // the recorded run's gradient norm spikes to 1e14 at one step: only a log axis shows the rest
        robot.interact(() -> {
            view.dashboard().smoothingProperty().set(0.6);
            view.dashboard().logScaleProperty().set(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
        check(Screens.shoot(robot, stage.getScene(), "dashboard.png"), 1400);

        robot.interact(() -> {
            view.show("Expert routing");
            view.loadHeatmap().layerProperty().set(2);
        });
        WaitForAsyncUtils.waitForFxEvents();
        check(shootNode(robot, view.loadHeatmap(), "routing-load.png"), 0);
        check(shootNode(robot, view.tokenHeatmap(), "routing-tokens.png"), 0);

        robot.interact(() -> {
            stage.setHeight(620);
            view.show("Attention");
            view.headView().layerProperty().set(2);
            view.modelView().selectedProperty().set(new AttentionModelView.HeadRef(2, 3));
            view.headView().headProperty().set(-1);
        });
        WaitForAsyncUtils.waitForFxEvents();
        check(shootNode(robot, view.headView(), "attention-head.png"), 0);
        check(shootNode(robot, view.modelView(), "attention-model.png"), 0);
    }

    private static java.util.List<org.r1wb.model.run.RunEvent> journalEvents() throws IOException {
        return ProbeEvents.journalWithProbe().stream().map(EventJournal::parse).toList();
    }

    private static Path shootNode(FxRobot robot, Node node, String name) {
        Path file = Screens.DIR.resolve(name);
        robot.interact(() -> {
            try {
                Snapshots.writePng(node.snapshot(null, null), file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return file;
    }

    private static void check(Path png, int width) throws IOException {
        var image = ImageIO.read(png.toFile());
        assertThat(image.getHeight()).isGreaterThan(200);
        if (width > 0) {
            assertThat(image.getWidth()).isEqualTo(width);
        }
    }
}
