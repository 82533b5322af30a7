package org.r1wb.agent.remote;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The agent distribution as a test can build it before {@code package}: the agent's compiled classes as a jar
 * plus every jar of the test class path (the agent's runtime jars among them).
 */
final class TestDistribution {

    private static Distribution cached;

    private TestDistribution() {
    }

    static synchronized Distribution get() throws IOException {
        if (cached == null) {
            Path classes = Path.of("target/classes").toAbsolutePath();
            Path jar = Path.of("target/test-dist/r1wb-agent.jar").toAbsolutePath();
            writeJar(classes, jar);
            List<Path> jars = new ArrayList<>();
            jars.add(jar);
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.endsWith(".jar") && !Path.of(entry).getFileName().toString().startsWith("surefire")) {
                    jars.add(Path.of(entry));
                }
            }
            cached = Distribution.of(jars);
        }
        return cached;
    }

    private static void writeJar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(classes.relativize(path).toString().replace('\\', '/'));
                // fixed times keep the jar's digest a function of the classes alone
                entry.setLastModifiedTime(FileTime.fromMillis(0));
                out.putNextEntry(entry);
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }
}
