package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Plugins in {@code r1wb pipeline run|validate}, through the real CLI: the example plugin's stage runs and shows in
 * the statistics; plugins that throw on load, call {@code System.exit} on load, need another SPI, or throw while
 * running are each reported by name (the exiting one is caught by the probe's child JVM, or it would end this test
 * JVM), while a built-in pipeline in the same workspace runs to the end; a jar outside the chosen folders is never
 * loaded.
 */
class PluginRunTest {

    /** Where the build copies the example plugin jar (see this module's pom). */
    static final Path EXAMPLE_JAR = Path.of("target/test-plugins/r1wb-example-plugins.jar");

    private static final String BOOM_STAGE = """
            package demo;
            import java.util.List;
            import org.r1wb.pipeline.stage.*;
            public class BoomStage implements PerDocumentStage {
                public String id() { return "filter.boom"; }
                public int version() { return 1; }
                public String description() { return "throws on every document"; }
                public List<ParamSpec> params() { return List.of(); }
                public DocumentProcessor<?> processor(StageParams params) {
                    return DocumentProcessor.pure(d -> { throw new IllegalStateException("boom while running"); });
                }
            }
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path root;

    private Path workspace;
    private String userFolderBefore;

    @BeforeEach
    void workspaceWithGoodAndBrokenPlugins() throws IOException {
        userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);
        System.setProperty(PluginFolders.USER_PROPERTY, Files.createDirectories(root.resolve("user-plugins")).toString());
        workspace = Files.createDirectories(root.resolve("ws"));
        Path plugins = Files.createDirectories(workspace.resolve(PluginFolders.WORKSPACE_DIR));
        Files.copy(EXAMPLE_JAR, root.resolve("user-plugins/r1wb-example-plugins.jar"));
        PluginJars.plugin(plugins.resolve("a-throws.jar"), "throws-on-load", "1.0", "Throws",
                "throw new IllegalStateException(\"boom in register\");");
        PluginJars.plugin(plugins.resolve("b-exits.jar"), "exits-on-load", "1.0", "Exits", "System.exit(7);");
        PluginJars.plugin(plugins.resolve("c-future.jar"), "future-spi", "2.0", "Future", "");
        PluginJars.jar(plugins.resolve("d-boom.jar"), PluginJars.manifest("boom-stage", "0.3", "1.0"),
                Map.of("demo/BoomStage.java", BOOM_STAGE, "demo/Boom.java", "package demo; public class Boom implements"
                        + " org.r1wb.plugins.api.Plugin { public void register(org.r1wb.plugins.api.PluginContext c) {"
                        + " c.contribute(org.r1wb.pipeline.stage.Stage.class, new BoomStage()); } }"),
                Map.of("META-INF/services/org.r1wb.plugins.api.Plugin", "demo.Boom\n"));
        // Next to the workspace, not in a chosen folder: must never load.
        PluginJars.plugin(root.resolve("outside.jar"), "outside", "1.0", "Outside",
                "throw new AssertionError(\"a jar outside the plugin folders was loaded\");");
        writeCorpus();
    }

    @AfterEach
    void restoreUserFolder() {
        // kept in the surefire report, to read what the CLI showed
        System.out.println(out);
        System.out.println(err);
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void everyPluginIsReportedByNameAndABuiltInPipelineStillRuns() throws IOException {
        Path file = pipeline("builtin", "{\"id\": \"norm\", \"stage\": \"normalize\"}");

        assertThat(run("pipeline", "run", "-w", workspace.toString(), "--progress", "NONE", file.toString()))
                .as(err.toString()).isZero();

        String shown = out.toString();
        assertThat(line(shown, "plugin throws-on-load")).contains("failed").contains("boom in register");
        assertThat(line(shown, "plugin exits-on-load")).contains("failed").contains("probe JVM").contains("exit code 7");
        assertThat(line(shown, "plugin future-spi")).contains("incompatible").contains("needs plugin SPI 2.0");
        assertThat(line(shown, "plugin boom-stage")).endsWith("active");
        assertThat(line(shown, "plugin r1wb-examples")).endsWith("active");
        assertThat(shown).doesNotContain("outside");
        assertThat(line(shown, "  norm ")).contains("normalize").contains(String.format("%,d", corpus().size()));
    }

    @Test
    void aPluginStageRunsAndItsStatisticsShow() throws IOException {
        Path file = pipeline("regex", "{\"id\": \"regex\", \"stage\": \"filter.regex\", \"params\": {\"pattern\": \"lorem ipsum\"}}");

        assertThat(run("pipeline", "run", "-w", workspace.toString(), "--progress", "NONE", file.toString()))
                .as(err.toString()).isZero();

        long matching = corpus().stream().filter(l -> l.contains("lorem ipsum")).count();
        assertThat(matching).isPositive();
        assertThat(line(out.toString(), "  regex ")).contains("filter.regex")
                .contains(String.format("%,d", corpus().size() - matching)).contains("matches pattern=" + matching);
    }

    @Test
    void aStageThatThrowsFailsOnlyItsPipelineAndNamesThePlugin() throws IOException {
        Path file = pipeline("boom", "{\"id\": \"boom\", \"stage\": \"filter.boom\"}");

        assertThat(run("pipeline", "run", "-w", workspace.toString(), "--progress", "NONE", file.toString()))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("boom while running").contains("in plugin 'boom-stage'");
    }

    @Test
    void aStageFromAJarOutsideThePluginFoldersIsUnknown() throws IOException {
        Files.copy(root.resolve("outside.jar"), root.resolve("ws-sibling.jar"));
        Path file = pipeline("outside", "{\"id\": \"x\", \"stage\": \"filter.outside\"}");

        assertThat(run("pipeline", "validate", "-w", workspace.toString(), file.toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("filter.outside");
        assertThat(out.toString()).doesNotContain("outside").contains("plugin r1wb-examples");
    }

    private int run(String... args) {
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    /** The first line of {@code shown} that starts with {@code prefix}. */
    private static String line(String shown, String prefix) {
        return shown.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + shown));
    }

    /** read.text → {@code node} (which reads from {@code read}). */
    private Path pipeline(String name, String node) throws IOException {
        String id = node.replaceAll(".*\"id\": \"([^\"]+)\".*", "$1");
        Path file = workspace.resolve(name + ".pipeline.json");
        Files.writeString(file, "{\"format\": 1, \"name\": \"" + name + "\", \"nodes\": ["
                + "{\"id\": \"read\", \"stage\": \"read.text\", \"params\": {\"path\": \"raw/corpus.txt\"}}, " + node
                + "], \"edges\": [{\"from\": \"read\", \"to\": \"" + id + "\"}]}");
        return file;
    }

    private List<String> corpus() throws IOException {
        return Files.readAllLines(workspace.resolve("raw/corpus.txt"));
    }

    private void writeCorpus() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lines.add(i % 3 == 0 ? "lorem ipsum number " + i : "document " + i + " about routers and experts");
        }
        Files.createDirectories(workspace.resolve("raw"));
        Files.write(workspace.resolve("raw/corpus.txt"), lines);
    }
}
