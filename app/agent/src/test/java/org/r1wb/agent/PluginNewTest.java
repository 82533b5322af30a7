package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.stage.StageRegistry;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginSet;
import org.r1wb.plugins.api.SpiVersion;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine;

/**
 * {@code r1wb plugin new} writes a project whose sources compile against the agent's classes and, packed with the
 * manifest its pom declares, load as an active plugin whose stage runs in a pipeline; {@code r1wb plugin list} then
 * shows it with its SHA-256, SPI version and status.
 */
class PluginNewTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path root;

    private String userFolderBefore;

    @BeforeEach
    void emptyUserFolder() throws IOException {
        userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);
        System.setProperty(PluginFolders.USER_PROPERTY, Files.createDirectories(root.resolve("user-plugins")).toString());
    }

    @AfterEach
    void restoreUserFolder() {
        System.out.println(out);
        System.out.println(err);
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void theNewProjectBuildsLoadsAndRunsItsStage() throws Exception {
        Path project = root.resolve("word-count");
        assertThat(run("plugin", "new", "word-count", "--dir", project.toString())).as(err.toString()).isZero();

        Path ws = Files.createDirectories(root.resolve("ws"));
        Path jar = build(project, Files.createDirectories(ws.resolve(PluginFolders.WORKSPACE_DIR)).resolve("wc.jar"));

        PluginSet loaded = PluginSet.load(List.of(jar), StageRegistry.builtIn(), AgentPlugins.OFFERED,
                SpiVersion.CURRENT, getClass().getClassLoader());
        assertThat(loaded.plugins()).singleElement().satisfies(p -> {
            assertThat(p.state()).as(p.error()).isEqualTo(LoadedPlugin.State.ACTIVE);
            assertThat(p.name()).isEqualTo("word-count");
            assertThat(p.descriptor().spiVersion()).isEqualTo(SpiVersion.CURRENT);
        });
        assertThat(loaded.stages().find("word-count")).isPresent();

        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            corpus.add(i % 5 == 0 ? "short line " + i : "a longer line number " + i + " with words");
        }
        Files.createDirectories(ws.resolve("raw"));
        Files.write(ws.resolve("raw/corpus.txt"), corpus);
        Path pipeline = ws.resolve("wc.pipeline.json");
        Files.writeString(pipeline, """
                {"format": 1, "name": "wc", "nodes": [
                  {"id": "read", "stage": "read.text", "params": {"path": "raw/corpus.txt"}},
                  {"id": "words", "stage": "word-count", "params": {"minWords": 4}}],
                 "edges": [{"from": "read", "to": "words"}]}
                """);
        assertThat(run("pipeline", "run", "-w", ws.toString(), "--progress", "NONE", pipeline.toString()))
                .as(err.toString()).isZero();
        long short_ = corpus.stream().filter(l -> l.strip().split("\\s+").length < 4).count();
        assertThat(short_).isPositive();
        assertThat(out.toString().lines().filter(l -> l.startsWith("  words ")).findFirst().orElseThrow())
                .contains("word-count").contains("too few words=" + short_);

        out.getBuffer().setLength(0);
        assertThat(run("plugin", "list", "-w", ws.toString())).as(err.toString()).isZero();
        assertThat(out.toString().lines().filter(l -> l.startsWith("word-count ")).findFirst().orElseThrow())
                .contains(" 0.1.0 ").contains(" 1.0 ").contains(" active ").contains(sha256(jar));
    }

    @Test
    void aBadIdOrAFolderInUseIsRefused() throws IOException {
        assertThat(run("plugin", "new", "Bad_Id", "--dir", root.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("Bad_Id").contains("word-count");

        Files.writeString(Files.createDirectories(root.resolve("used")).resolve("keep.txt"), "mine");
        assertThat(run("plugin", "new", "ok", "--dir", root.resolve("used").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(root.resolve("used/keep.txt")).hasContent("mine");
        assertThat(root.resolve("used/pom.xml")).doesNotExist();
    }

    /** Compiles the project's sources and packs them with its resources and the manifest its pom declares. */
    private static Path build(Path project, Path jar) throws Exception {
        Map<String, String> sources = read(project.resolve("src/main/java"));
        Map<String, String> resources = read(project.resolve("src/main/resources"));
        assertThat(sources).hasSize(2);
        assertThat(resources).containsKey("META-INF/services/org.r1wb.plugins.api.Plugin");
        return PluginJars.jar(jar, manifestOf(project.resolve("pom.xml")), sources, resources);
    }

    /** The pom's jar manifest entries, with {@code ${...}} resolved from the pom's version and properties. */
    private static Manifest manifestOf(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        Map<String, String> values = new HashMap<>();
        values.put("project.version", child(project, "version").getTextContent().strip());
        for (Node p = child(project, "properties").getFirstChild(); p != null; p = p.getNextSibling()) {
            if (p instanceof Element e) {
                values.put(e.getTagName(), e.getTextContent().strip());
            }
        }
        assertThat(pom).content().contains("<artifactId>r1wb-plugins-api</artifactId>");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Element entries = (Element) project.getElementsByTagName("manifestEntries").item(0);
        for (Node n = entries.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                String value = e.getTextContent().strip();
                for (Map.Entry<String, String> v : values.entrySet()) {
                    value = value.replace("${" + v.getKey() + "}", v.getValue());
                }
                manifest.getMainAttributes().putValue(e.getTagName(), value);
            }
        }
        return manifest;
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        throw new AssertionError("pom has no <" + tag + ">");
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return files;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private int run(String... args) {
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }
}
