package org.r1wb.views.snapshot;

import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.scene.image.PixelFormat;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Renders scenes to PNG files (screenshots for docs and tests) without {@code javafx-swing}: the
 * pixels are copied into an AWT image and written with {@link ImageIO}.
 */
public final class Snapshots {

    private Snapshots() {
    }

    /** Renders {@code scene} at its current size and writes it to {@code file}; call on the FX thread. */
    public static void writePng(Scene scene, Path file) throws IOException {
        writePng(scene.snapshot(null), file);
    }

    /** Writes {@code image} to {@code file} as PNG, through a temporary file and an atomic rename. */
    public static void writePng(Image image, Path file) throws IOException {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        PixelReader reader = image.getPixelReader();
        if (reader == null || width == 0 || height == 0) {
            throw new IOException("image has no readable pixels (" + width + "x" + height + ")");
        }
        int[] argb = new int[width * height];
        reader.getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        BufferedImage buffered = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        buffered.setRGB(0, 0, width, height, argb, 0, width);

        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        if (!ImageIO.write(buffered, "png", temp.toFile())) {
            throw new IOException("no PNG writer available");
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
