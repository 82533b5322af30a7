package org.r1wb.plugins.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageRegistry;

/** What a run gets from its plugins: their stages beside the built-ins, nothing from a plugin that failed. */
class PluginSetTest {

    private static final Set<Class<?>> OFFERED = Set.of(Stage.class, Callable.class);

    @TempDir
    Path dir;

    @Test
    void aStageIdOfABuiltInRefusesThePluginByName() throws IOException {
        Path jar = plugin("clash", "context.contribute(org.r1wb.pipeline.stage.Stage.class,"
                + " new org.r1wb.pipeline.stages.NormalizeStage());");

        PluginSet set = load(jar);

        assertThat(set.plugins()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("clash");
            assertThat(p.state()).isEqualTo(LoadedPlugin.State.FAILED);
            assertThat(p.error()).contains("'normalize'").contains("built-in");
        });
        assertThat(set.stages().all()).hasSameSizeAs(StageRegistry.builtIn().all());
    }

    @Test
    void aPluginThatFailsHalfWayLeavesNothingBehind() throws IOException {
        Path half = plugin("half", "context.contribute(java.util.concurrent.Callable.class, () -> \"half\");"
                + " throw new IllegalStateException(\"second thoughts\");");
        Path alien = plugin("alien", "context.contribute(Runnable.class, () -> { });");
        Path good = plugin("good", "context.contribute(java.util.concurrent.Callable.class, () -> \"good\");");

        PluginSet set = load(half, alien, good);

        assertThat(set.plugins()).extracting(LoadedPlugin::state).containsExactly(LoadedPlugin.State.FAILED,
                LoadedPlugin.State.FAILED, LoadedPlugin.State.ACTIVE);
        assertThat(set.plugins().get(1).error()).contains("java.lang.Runnable").contains("Stage");
        assertThat(set.extensions(Callable.class)).singleElement().satisfies(c -> assertThat(c.call()).isEqualTo("good"));
    }

    @Test
    void aFailureInPluginCodeIsBlamedOnThePlugin() throws IOException {
        Path jar = plugin("thrower", "context.contribute(java.util.concurrent.Callable.class,"
                + " () -> { throw new IllegalStateException(\"at run time\"); });");
        Callable<?> extension = load(jar).extensions(Callable.class).get(0);

        Throwable failure = catchThrowable(extension::call);
        Throwable wrapped = new RuntimeException("node 'x' failed", failure);

        assertThat(failure).hasMessage("at run time");
        assertThat(PluginBlame.pluginOf(wrapped)).contains("thrower");
        assertThat(PluginBlame.pluginOf(new IllegalStateException("not a plugin's"))).isEmpty();
    }

    @Test
    void aNameTakenByTheHostOrAnEarlierPluginRefusesThePluginWhole() throws IOException {
        NamedSpi<Supplier> named = new NamedSpi<>(Supplier.class, "metric", s -> String.valueOf(s.get()), Set.of("builtin"));
        Path first = plugin("first", supplier("mine"));
        Path again = plugin("again", supplier("mine") + " context.contribute(java.util.concurrent.Callable.class,"
                + " () -> \"lost\");");
        Path host = plugin("host", supplier("builtin"));

        PluginSet set = PluginSet.load(List.of(first, again, host), StageRegistry.builtIn(),
                Set.of(Stage.class, Supplier.class, Callable.class), List.of(named), SpiVersion.CURRENT,
                getClass().getClassLoader(), new PluginSet.Listener() { });

        assertThat(set.plugins()).extracting(LoadedPlugin::state).containsExactly(LoadedPlugin.State.ACTIVE,
                LoadedPlugin.State.FAILED, LoadedPlugin.State.FAILED);
        assertThat(set.plugins().get(1).error()).contains("metric 'mine'").contains("plugin 'first'");
        assertThat(set.plugins().get(2).error()).contains("metric 'builtin'").contains("built-in");
        assertThat(set.extensions(Supplier.class)).singleElement().satisfies(s -> assertThat(s.get()).isEqualTo("mine"));
        assertThat(set.extensions(Callable.class)).as("the refused plugin's other extensions are dropped").isEmpty();
    }

    private static String supplier(String name) {
        return "context.contribute(java.util.function.Supplier.class, () -> \"" + name + "\");";
    }

    private PluginSet load(Path... jars) {
        return PluginSet.load(List.of(jars), StageRegistry.builtIn(), OFFERED, SpiVersion.CURRENT,
                getClass().getClassLoader());
    }

    /** A jar whose plugin {@code demo.P_<id>} runs {@code body} in {@code register}. */
    private Path plugin(String id, String body) throws IOException {
        String className = "P_" + id;
        Path build = Files.createDirectories(dir.resolve("build-" + id));
        Path source = build.resolve(className + ".java");
        Files.writeString(source, "package demo; public class " + className + " implements org.r1wb.plugins.api.Plugin {"
                + " public void register(org.r1wb.plugins.api.PluginContext context) { " + body + " } }");
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", build.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertThat(status).as("compiling " + id).isZero();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(PluginDescriptor.ID, id);
        main.putValue(PluginDescriptor.VERSION, "1");
        main.putValue(PluginDescriptor.SPI_VERSION, SpiVersion.CURRENT.toString());
        Path jar = dir.resolve(id + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream packed = new JarOutputStream(out, manifest);
             var classes = Files.list(build.resolve("demo"))) {
            for (Path file : classes.toList()) {
                packed.putNextEntry(new JarEntry("demo/" + file.getFileName()));
                packed.write(Files.readAllBytes(file));
            }
            packed.putNextEntry(new JarEntry("META-INF/services/org.r1wb.plugins.api.Plugin"));
            packed.write(("demo." + className + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
