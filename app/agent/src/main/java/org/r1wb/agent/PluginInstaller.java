package org.r1wb.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.plugins.api.PluginDescriptor;

/**
 * Installs a plugin jar into a plugin folder: its manifest is read first (no plugin code runs), then the jar is copied
 * to a temp file in the folder and renamed into place, so a run listing the folder never sees half a jar. A jar of
 * the same file name is replaced (an upgrade).
 */
public final class PluginInstaller {

    private PluginInstaller() {
    }

    /**
     * Copies {@code jar} into {@code folder} (created if missing) and returns the installed path.
     *
     * @throws IllegalArgumentException when {@code jar} is not a plugin jar; the message says what its manifest lacks
     */
    public static Path install(Path jar, Path folder) throws IOException {
        String name = jar.getFileName().toString();
        if (!name.endsWith(".jar") || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is not a .jar file");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            PluginDescriptor.fromManifest(file.getManifest());
        } catch (IOException e) {
            throw new IllegalArgumentException(jar + " is not a readable jar: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(jar + " is not an r1wb plugin: " + e.getMessage(), e);
        }
        Files.createDirectories(folder);
        Path target = folder.resolve(name);
        // the temp name does not end in .jar, so a run listing the folder meanwhile skips it
        AtomicFiles.write(target, out -> Files.copy(jar, out));
        return target;
    }
}
