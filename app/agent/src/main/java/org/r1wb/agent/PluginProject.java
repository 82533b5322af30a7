package org.r1wb.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.plugins.api.SpiVersion;

/**
 * A new plugin project as {@code r1wb plugin new} writes it: a Maven {@code pom.xml} whose jar manifest carries the
 * plugin id, version and SPI version; a {@code Plugin} entry point and its services file; a per-document
 * {@code Stage} with one parameter; a README. It builds with {@code mvn package} and loads as it is.
 *
 * @param id          the plugin id, also its stage id and artifactId, e.g. {@code word-count}
 * @param packageName the Java package of its classes
 */
public record PluginProject(String id, String packageName) {

    /** Lower-case words joined by dashes: usable as an artifactId, a stage id and a file name. */
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    public PluginProject {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("plugin id '" + id
                    + "' must be lower-case words joined by dashes, e.g. word-count");
        }
        if (!PACKAGE.matcher(packageName).matches()) {
            throw new IllegalArgumentException("package '" + packageName + "' must be a lower-case Java package, "
                    + "e.g. org.example.wordcount");
        }
    }

    /** The project for {@code id} in the default package {@code r1wb.plugin.<id without dashes>}. */
    public static PluginProject of(String id) {
        return new PluginProject(id, "r1wb.plugin." + id.replace("-", ""));
    }

    /** {@code word-count} → {@code WordCount}. */
    public String className() {
        StringBuilder name = new StringBuilder();
        for (String word : id.split("-")) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }

    /** The files, by path relative to the project folder. */
    public Map<String, String> files() {
        String src = "src/main/java/" + packageName.replace('.', '/') + "/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", fill(POM));
        files.put(src + className() + "Plugin.java", fill(PLUGIN));
        files.put(src + className() + "Stage.java", fill(STAGE));
        files.put("src/main/resources/META-INF/services/org.r1wb.plugins.api.Plugin",
                packageName + "." + className() + "Plugin\n");
        files.put("README.md", fill(README));
        return files;
    }

    /**
     * Writes the project into {@code dir}, which must not exist or be empty: into a temp sibling first, renamed into
     * place at the end, so a failure leaves no half project.
     */
    public void write(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            try (var entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(target + " is not empty; choose another --dir");
                }
            }
            Files.delete(target);
        } else if (Files.exists(target)) {
            throw new IOException(target + " exists and is not a folder; choose another --dir");
        }
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        try {
            for (Map.Entry<String, String> file : files().entrySet()) {
                Path path = temp.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    /** The r1wb version the project depends on: this build's, filled in by Maven. */
    static String r1wbVersion() {
        try (InputStream in = PluginProject.class.getResourceAsStream("plugin-sdk.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("r1wb.version");
        } catch (IOException e) {
            throw new UncheckedIOException("the agent jar lacks plugin-sdk.properties", e);
        }
    }

    private String fill(String template) {
        return template.replace("@ID@", id).replace("@PACKAGE@", packageName).replace("@CLASS@", className())
                .replace("@R1WB_VERSION@", r1wbVersion()).replace("@SPI@", SpiVersion.CURRENT.toString());
    }

    private static final String POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
              <modelVersion>4.0.0</modelVersion>
              <groupId>@PACKAGE@</groupId>
              <artifactId>@ID@</artifactId>
              <version>0.1.0</version>
              <name>@ID@ (an R1 Workbench plugin)</name>

              <properties>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                <r1wb.version>@R1WB_VERSION@</r1wb.version>
                <!-- the plugin SPI version this plugin needs: same major as the agent's, minor at most the agent's -->
                <r1wb.spi.version>@SPI@</r1wb.spi.version>
              </properties>

              <!-- provided: the agent supplies these at run time; the plugin jar carries only its own classes -->
              <dependencies>
                <dependency>
                  <groupId>org.r1wb</groupId>
                  <artifactId>r1wb-plugins-api</artifactId>
                  <version>${r1wb.version}</version>
                  <scope>provided</scope>
                </dependency>
                <dependency>
                  <groupId>org.r1wb</groupId>
                  <artifactId>r1wb-pipeline</artifactId>
                  <version>${r1wb.version}</version>
                  <scope>provided</scope>
                </dependency>
              </dependencies>

              <build>
                <plugins>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-jar-plugin</artifactId>
                    <version>3.4.2</version>
                    <configuration>
                      <archive>
                        <manifestEntries>
                          <R1wb-Plugin-Id>@ID@</R1wb-Plugin-Id>
                          <R1wb-Plugin-Version>${project.version}</R1wb-Plugin-Version>
                          <R1wb-Spi-Version>${r1wb.spi.version}</R1wb-Spi-Version>
                          <R1wb-Plugin-Description>@CLASS@: drops documents with too few words</R1wb-Plugin-Description>
                        </manifestEntries>
                      </archive>
                    </configuration>
                  </plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId><version>3.1.3</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-clean-plugin</artifactId><version>3.4.1</version></plugin>
                </plugins>
              </build>
            </project>
            """;

    private static final String PLUGIN = """
            package @PACKAGE@;

            import org.r1wb.pipeline.stage.Stage;
            import org.r1wb.plugins.api.Plugin;
            import org.r1wb.plugins.api.PluginContext;

            /** The plugin's entry point, listed in META-INF/services/org.r1wb.plugins.api.Plugin. */
            public final class @CLASS@Plugin implements Plugin {

                @Override
                public void register(PluginContext context) {
                    context.contribute(Stage.class, new @CLASS@Stage());
                }
            }
            """;

    private static final String STAGE = """
            package @PACKAGE@;

            import java.util.List;
            import org.r1wb.pipeline.stage.DocumentProcessor;
            import org.r1wb.pipeline.stage.Outcome;
            import org.r1wb.pipeline.stage.ParamSpec;
            import org.r1wb.pipeline.stage.PerDocumentStage;
            import org.r1wb.pipeline.stage.StageParams;

            /** {@code @ID@}: drops documents with fewer than {@code minWords} words. A per-document stage, so it streams. */
            public final class @CLASS@Stage implements PerDocumentStage {

                public static final ParamSpec MIN_WORDS = ParamSpec.integer("minWords", 3, 0, 1_000_000,
                        "drop documents with fewer whitespace-separated words");

                @Override
                public String id() {
                    return "@ID@";
                }

                /** Bump when the output for the same input changes: it is part of the cache digest. */
                @Override
                public int version() {
                    return 1;
                }

                @Override
                public String description() {
                    return "Drop documents with fewer than minWords words";
                }

                @Override
                public List<ParamSpec> params() {
                    return List.of(MIN_WORDS);
                }

                @Override
                public DocumentProcessor<Outcome> processor(StageParams params) {
                    int minWords = params.intValue(MIN_WORDS);
                    return DocumentProcessor.pure(document -> {
                        String text = document.text().strip();
                        int words = text.isEmpty() ? 0 : text.split("\\\\s+").length;
                        return words >= minWords ? Outcome.keep(document) : Outcome.drop("too few words");
                    });
                }
            }
            """;

    private static final String README = """
            # @ID@ — an R1 Workbench plugin

            A pipeline stage `@ID@` (class `@PACKAGE@.@CLASS@Stage`) that drops documents with fewer than
            `minWords` words. Edit the stage, or add more: every extension is contributed in
            `@CLASS@Plugin.register` (stages, eval metrics and recipe rewards; see the workbench's docs/PLUGINS.md).

            ## Build

                mvn package

            builds `target/@ID@-0.1.0.jar`. Its manifest carries `R1wb-Plugin-Id`, `R1wb-Plugin-Version` and
            `R1wb-Spi-Version` (@SPI@): the agent refuses a jar without them, or one built for another SPI major.
            The build needs the r1wb artifacts (@R1WB_VERSION@) in your Maven repository (`./mvnw install` in the
            workbench's source tree puts them there).

            ## Install

            Copy the jar into the workspace's `plugins/` folder (this workspace only) or into
            `~/.config/r1wb/plugins/` (every workspace), then check it:

                r1wb plugin list -w WORKSPACE

            and use the stage in a pipeline file like any built-in:

                {"id": "words", "stage": "@ID@", "params": {"minWords": 5}}
            """;
}
