package org.r1wb.workbench.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.DisabledPlugins;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.PluginFolders;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.workbench.Screens;
import org.r1wb.workbench.WorkbenchWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The plugin manager, opened through the Tools menu's action: installs the example plugin jar from a file into the
 * workspace's {@code plugins/}, lists it (through a child agent) with the SHA-256 of its bytes, disables it, and the
 * agent then validates a pipeline without it (enabling again is covered by the agent's {@code PluginManageTest}).
 */
@ExtendWith(ApplicationExtension.class)
class PluginManagerTest {

    /** Where the build copies the example plugin jar (see this module's pom). */
    private static final Path EXAMPLE_JAR = Path.of("target/test-plugins/r1wb-example-plugins.jar").toAbsolutePath();

    @TempDir
    Path root;

    private final String userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);
    private WorkbenchWindow window;
    private Path ws;
    private Path user;

    @Start
    void start(Stage stage) throws IOException {
        user = Files.createDirectories(root.resolve("user"));
        System.setProperty(PluginFolders.USER_PROPERTY, user.toString());
        ws = root.resolve("ws");
        SampleWorkspace.create(ws);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @AfterEach
    void restoreUserFolder() {
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void installFromFileShowsTheJarsDigestAndADisabledPluginIsNotLoadedByTheAgent(FxRobot robot) throws Exception {
        robot.interact(() -> window.actions().run("tools.plugins"));
        AtomicReference<PluginManagerView> opened = new AtomicReference<>();
        // the action opened it; asking again brings the same manager to front
        robot.interact(() -> opened.set(window.openPlugins().orElseThrow()));
        PluginManagerView view = opened.get();
        PluginManagerModel model = view.model();
        Screens.waitFor(90, () -> !model.busyProperty().get());
        assertThat(model.plugins()).isEmpty();
        assertThat(model.messageProperty().get()).doesNotContain("failed");

        view.setJarChooser(owner -> Optional.of(EXAMPLE_JAR));
        robot.interact(() -> view.folderChoice().setValue(PluginManagerModel.Folder.WORKSPACE));
        robot.clickOn("#plugin-install");
        Screens.waitFor(90, () -> !model.busyProperty().get() && !model.plugins().isEmpty());
        assertThat(model.messageProperty().get()).startsWith("installed");
        Path installed = ws.resolve(PluginFolders.WORKSPACE_DIR).resolve(EXAMPLE_JAR.getFileName());
        assertThat(installed).hasSameBinaryContentAs(EXAMPLE_JAR);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(EXAMPLE_JAR)));
        InstalledPlugin plugin = model.plugins().get(0);
        assertThat(plugin.id()).isEqualTo("r1wb-examples");
        assertThat(plugin.state()).isEqualTo("active");
        assertThat(plugin.folder()).isEqualTo("workspace");
        assertThat(plugin.spi()).isEqualTo("1.0");
        assertThat(plugin.sha256()).isEqualTo(sha);
        assertThat(plugin.stages()).containsExactly("filter.regex");
        assertThat(plugin.metrics()).containsExactly("contains_target");
        assertThat(plugin.rewards()).containsExactly("keyword");
        // the digest is in the table as the user sees it
        assertThat(robot.lookup((Node n) -> n instanceof TableCell<?, ?> c && sha.equals(c.getText())).tryQuery())
                .isPresent();

        robot.interact(() -> view.table().getSelectionModel().select(0));
        Screens.shoot(robot, view.getScene(), "plugin-manager.png");
        robot.clickOn("#plugin-toggle");
        Screens.waitFor(90, () -> !model.busyProperty().get() && model.plugins().get(0).disabled());
        assertThat(DisabledPlugins.isDisabled(installed)).isTrue();
        assertThat(robot.lookup("#plugin-toggle").queryButton().getText()).isEqualTo("Enable");

        // the agent, in a process of its own, no longer knows the plugin's stage
        Path pipeline = ws.resolve("pipelines/regex.pipeline.json");
        Files.writeString(pipeline, """
                {"format": 1, "name": "regex", "nodes": [
                  {"id": "read", "stage": "read.jsonl", "params": {"path": "data/raw/arithmetic.jsonl"}},
                  {"id": "regex", "stage": "filter.regex", "params": {"pattern": "lorem"}}
                ], "edges": [{"from": "read", "to": "regex"}]}
                """);
        List<String> command = new ArrayList<>(new LocalRunLauncher(List.of("-D" + PluginFolders.USER_PROPERTY + "="
                + user)).command(List.of("pipeline", "validate", "-w", ws.toString(), pipeline.toString())));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("plugin r1wb-examples").contains("disabled").contains("filter.regex");
    }
}
