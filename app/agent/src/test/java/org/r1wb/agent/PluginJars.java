package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.plugins.api.PluginDescriptor;

/** Builds plugin jars in tests: sources compiled with the JDK's compiler against the test class path, a manifest. */
final class PluginJars {

    private PluginJars() {
    }

    /** A jar whose one class {@code demo.<className>} is a Plugin whose {@code register} body is {@code body}. */
    static Path plugin(Path jar, String id, String spi, String className, String body) throws IOException {
        String source = "package demo; public class " + className + " implements org.r1wb.plugins.api.Plugin {"
                + " public void register(org.r1wb.plugins.api.PluginContext context) { " + body + " } }";
        return jar(jar, manifest(id, "0.1", spi), Map.of("demo/" + className + ".java", source),
                Map.of("META-INF/services/org.r1wb.plugins.api.Plugin", "demo." + className + "\n"));
    }

    /** The manifest the loader reads. */
    static Manifest manifest(String id, String version, String spi) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(PluginDescriptor.ID, id);
        main.putValue(PluginDescriptor.VERSION, version);
        main.putValue(PluginDescriptor.SPI_VERSION, spi);
        return manifest;
    }

    /**
     * Compiles {@code sources} (by path under the source root) and packs the classes and {@code resources} (by path
     * in the jar) with {@code manifest}.
     */
    static Path jar(Path jar, Manifest manifest, Map<String, String> sources, Map<String, String> resources)
            throws IOException {
        Path build = Files.createTempDirectory("r1wb-plugin-build-");
        try {
            compileAndPack(jar, manifest, sources, resources, build);
        } finally {
            AtomicFiles.deleteTree(build);
        }
        return jar;
    }

    private static void compileAndPack(Path jar, Manifest manifest, Map<String, String> sources,
                                       Map<String, String> resources, Path build) throws IOException {
        Path src = Files.createDirectories(build.resolve("src"));
        Path classes = Files.createDirectories(build.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "-proc:none"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, args.toArray(String[]::new))).as("compiling " + jar).isZero();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream packed = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                packed.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                packed.write(Files.readAllBytes(file));
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                packed.putNextEntry(new JarEntry(resource.getKey()));
                packed.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
