package org.r1wb.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.io.Json;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code r1wb plugin list --json}: the example plugin's stage with its ports and parameter schema. */
class PluginListJsonTest {

    @TempDir
    Path root;

    private final String userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);

    @AfterEach
    void restoreUserFolder() {
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void describesEachActivePluginStage() throws IOException {
        System.setProperty(PluginFolders.USER_PROPERTY, Files.createDirectories(root.resolve("user")).toString());
        Path ws = Files.createDirectories(root.resolve("ws"));
        Path plugins = Files.createDirectories(ws.resolve(PluginFolders.WORKSPACE_DIR));
        Files.copy(PluginRunTest.EXAMPLE_JAR, plugins.resolve("r1wb-example-plugins.jar"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));

        assertThat(line.execute("plugin", "list", "--json", "-w", ws.toString())).as(err.toString()).isZero();

        assertThat(out.toString().strip().lines()).hasSize(1);
        JsonNode root = Json.mapper().readTree(out.toString());
        assertThat(root.get("plugins")).hasSize(1);
        JsonNode plugin = root.get("plugins").get(0);
        assertThat(plugin.get("id").asText()).isEqualTo("r1wb-examples");
        assertThat(plugin.get("state").asText()).isEqualTo("active");
        assertThat(plugin.get("stages")).hasSize(1);
        JsonNode stage = plugin.get("stages").get(0);
        assertThat(stage.get("id").asText()).isEqualTo("filter.regex");
        assertThat(stage.get("inputs").get(0).get("type").asText()).isEqualTo("DOCUMENTS");
        assertThat(stage.get("outputs").get(0).get("type").asText()).isEqualTo("DOCUMENTS");
        List<String> params = new ArrayList<>();
        stage.get("params").forEach(p -> params.add(p.get("name").asText()));
        assertThat(params).contains("pattern", "mode", "ignoreCase");
    }
}
