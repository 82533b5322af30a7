package org.r1wb.views.snapshot;

import javafx.scene.Scene;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class SnapshotsTest {

    private Scene scene;

    @Start
    void start(Stage stage) {
        Region red = new Region();
        red.setStyle("-fx-background-color: #ff0000;");
        red.setPrefSize(40, 30);
        Region blue = new Region();
        blue.setStyle("-fx-background-color: #0000ff;");
        blue.setPrefSize(60, 30);
        scene = new Scene(new HBox(red, blue), 100, 30);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void writesTheScenePixelsAsPng(FxRobot robot, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("shots/scene.png");
        AtomicReference<Exception> failure = new AtomicReference<>();
        robot.interact(() -> {
            try {
                Snapshots.writePng(scene, file);
            } catch (Exception e) {
                failure.set(e);
            }
        });
        assertThat(failure.get()).isNull();

        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(100);
        assertThat(png.getHeight()).isEqualTo(30);
        assertThat(png.getRGB(10, 15) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(png.getRGB(80, 15) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }
}
