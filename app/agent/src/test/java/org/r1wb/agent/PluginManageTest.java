package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.io.Json;

/**
 * Managing plugins through the real CLI: {@code plugin install} copies the example jar into a folder, {@code plugin
 * list --json} shows it with its SHA-256, SPI, metric and reward; {@code plugin disable} keeps the probe and runs from
 * loading it until {@code plugin enable}; a broken {@code disabled.json} is named with its line.
 */
class PluginManageTest {

    @TempDir
    Path root;

    private final Cli cli = new Cli();
    private final String userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);
    private Path ws;
    private Path user;

    @BeforeEach
    void emptyFolders() throws IOException {
        user = Files.createDirectories(root.resolve("user"));
        System.setProperty(PluginFolders.USER_PROPERTY, user.toString());
        ws = Files.createDirectories(root.resolve("ws"));
    }

    @AfterEach
    void restoreUserFolder() {
        System.out.println(cli.out);
        System.out.println(cli.err);
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void installListDisableAndEnable() throws Exception {
        assertThat(cli.run("plugin", "install", "--user", "-w", ws.toString(), PluginRunTest.EXAMPLE_JAR.toString()))
                .as(cli.err.toString()).isZero();
        Path installed = user.resolve("r1wb-example-plugins.jar");
        assertThat(installed).hasSameBinaryContentAs(PluginRunTest.EXAMPLE_JAR);
        try (var files = Files.list(user)) {
            assertThat(files).as("no temp file left behind").containsExactly(installed);
        }

        JsonNode plugin = listJson();
        assertThat(plugin.get("id").asText()).isEqualTo("r1wb-examples");
        assertThat(plugin.get("state").asText()).isEqualTo("active");
        assertThat(plugin.get("folder").asText()).isEqualTo("user");
        assertThat(plugin.get("spi").asText()).isEqualTo("1.0");
        assertThat(plugin.get("sha256").asText()).isEqualTo(sha256(PluginRunTest.EXAMPLE_JAR));
        assertThat(plugin.get("metrics").toString()).isEqualTo("[\"contains_target\"]");
        assertThat(plugin.get("rewards").toString()).isEqualTo("[\"keyword\"]");

        assertThat(cli.run("plugin", "disable", "-w", ws.toString(), "r1wb-examples")).as(cli.err.toString()).isZero();
        assertThat(DisabledPlugins.isDisabled(installed)).isTrue();
        JsonNode disabled = listJson();
        assertThat(disabled.get("state").asText()).isEqualTo("disabled");
        assertThat(disabled.get("sha256").asText()).isEqualTo(sha256(PluginRunTest.EXAMPLE_JAR));
        assertThat(disabled.get("stages")).isEmpty();
        // the probe's child half does not load it either
        cli.out.getBuffer().setLength(0);
        assertThat(cli.run("plugin", "check", "-w", ws.toString())).isZero();
        assertThat(cli.out.toString()).doesNotContain("r1wb-examples").contains("no enabled plugins");

        assertThat(cli.run("plugin", "enable", "-w", ws.toString(), "r1wb-example-plugins.jar")).isZero();
        assertThat(listJson().get("state").asText()).isEqualTo("active");
    }

    @Test
    void unknownNamesAndBrokenFilesAreClearErrors() throws IOException {
        Files.copy(PluginRunTest.EXAMPLE_JAR, user.resolve("examples.jar"));
        assertThat(cli.run("plugin", "disable", "-w", ws.toString(), "nope")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("no plugin 'nope'").contains("r1wb-examples (examples.jar)");

        Path notAPlugin = Files.writeString(root.resolve("plain.jar"), "not a jar");
        assertThat(cli.run("plugin", "install", "-w", ws.toString(), notAPlugin.toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(ws.resolve(PluginFolders.WORKSPACE_DIR).resolve("plain.jar")).doesNotExist();

        Files.writeString(user.resolve(DisabledPlugins.FILE), "{\"format\": 1,\n \"disabled\": [\"examples.jar\"\n");
        assertThat(cli.run("plugin", "list", "-w", ws.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.err.toString()).contains(DisabledPlugins.FILE + ":").contains("not valid JSON");
    }

    /** The one plugin {@code plugin list --json} shows. */
    private JsonNode listJson() throws IOException {
        cli.out.getBuffer().setLength(0);
        assertThat(cli.run("plugin", "list", "--json", "-w", ws.toString())).as(cli.err.toString()).isZero();
        JsonNode plugins = Json.mapper().readTree(cli.out.toString()).get("plugins");
        assertThat(plugins).hasSize(1);
        return plugins.get(0);
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
