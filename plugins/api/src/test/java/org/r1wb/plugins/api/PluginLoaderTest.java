package org.r1wb.plugins.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

class PluginLoaderTest {

    private final List<Object> contributions = new ArrayList<>();
    private final PluginContext context = new PluginContext() {
        @Override
        public <T> void contribute(Class<T> spi, T extension) {
            contributions.add(extension);
        }
    };

    @Test
    void loadsAGoodPluginAndIsolatesEveryBadOne(@TempDir Path dir) throws IOException {
        Path chosen = Files.createDirectories(dir.resolve("plugins"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path build = Files.createDirectories(dir.resolve("build"));
        writePlugin(chosen.resolve("a-good.jar"), build, "good", "1.0", "Good",
                "context.contribute(String.class, \"hello from good\");");
        writePlugin(chosen.resolve("b-throws.jar"), build, "throws", "1.0", "Throws",
                "throw new IllegalStateException(\"boom in register\");");
        writePlugin(chosen.resolve("c-future.jar"), build, "future", "2.0", "Future", "");
        writePlugin(elsewhere.resolve("d-outside.jar"), build, "outside", "1.0", "Outside",
                "context.contribute(String.class, \"must never load\");");

        List<LoadedPlugin> loaded = new PluginLoader(SpiVersion.CURRENT, getClass().getClassLoader())
                .load(List.of(chosen, dir.resolve("missing")), context);

        assertThat(loaded).extracting(LoadedPlugin::name).containsExactly("good", "throws", "future");
        assertThat(loaded.get(0).state()).isEqualTo(LoadedPlugin.State.ACTIVE);
        assertThat(loaded.get(1).state()).isEqualTo(LoadedPlugin.State.FAILED);
        assertThat(loaded.get(1).error()).contains("boom in register");
        assertThat(loaded.get(2).state()).isEqualTo(LoadedPlugin.State.INCOMPATIBLE);
        assertThat(loaded.get(2).error()).contains("needs plugin SPI 2.0").contains("offers 1.0");
        assertThat(contributions).containsExactly("hello from good");
    }

    @Test
    void aJarWithoutADescriptorIsReportedByFileName(@TempDir Path dir) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("plain.jar"));
             JarOutputStream jar = new JarOutputStream(out, new Manifest())) {
            jar.putNextEntry(new JarEntry("readme.txt"));
        }

        List<LoadedPlugin> loaded = new PluginLoader(SpiVersion.CURRENT, getClass().getClassLoader())
                .load(List.of(dir), context);

        assertThat(loaded).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("plain.jar");
            assertThat(p.state()).isEqualTo(LoadedPlugin.State.FAILED);
            assertThat(p.error()).contains(PluginDescriptor.ID).contains(PluginDescriptor.SPI_VERSION);
        });
    }

    @Test
    void spiVersionsCompareByMajorThenMinor() {
        assertThat(new SpiVersion(1, 2).satisfies(new SpiVersion(1, 0))).isTrue();
        assertThat(new SpiVersion(1, 0).satisfies(new SpiVersion(1, 2))).isFalse();
        assertThat(new SpiVersion(2, 0).satisfies(new SpiVersion(1, 0))).isFalse();
    }

    /** Compiles a one-class plugin whose {@code register} body is {@code body} and packs it with a manifest. */
    private static void writePlugin(Path jarPath, Path build, String id, String spi, String className, String body)
            throws IOException {
        Path sources = Files.createDirectories(build.resolve(id + "/src/demo"));
        Path classes = Files.createDirectories(build.resolve(id + "/classes"));
        Path source = sources.resolve(className + ".java");
        Files.writeString(source, "package demo; public class " + className
                + " implements org.r1wb.plugins.api.Plugin { public void register("
                + "org.r1wb.plugins.api.PluginContext context) { " + body + " } }");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertThat(status).as("compiling plugin " + id).isZero();

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(PluginDescriptor.ID, id);
        main.putValue(PluginDescriptor.VERSION, "0.1");
        main.putValue(PluginDescriptor.SPI_VERSION, spi);
        try (OutputStream out = Files.newOutputStream(jarPath); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("demo/" + className + ".class"));
            jar.write(Files.readAllBytes(classes.resolve("demo/" + className + ".class")));
            jar.putNextEntry(new JarEntry("META-INF/services/org.r1wb.plugins.api.Plugin"));
            jar.write(("demo." + className + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
