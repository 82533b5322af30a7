package org.r1wb.workbench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchOptionsTest {

    @Test
    void parsesWorkspaceAndScreenshot() {
        LaunchOptions options = LaunchOptions.parse(List.of("--workspace", "ws", "--screenshot", "out/shot.png"));
        assertThat(options.workspace()).contains(Path.of("ws").toAbsolutePath());
        assertThat(options.screenshot()).contains(Path.of("out/shot.png").toAbsolutePath());
    }

    @Test
    void screenshotAndSampleAreOptional() {
        LaunchOptions plain = LaunchOptions.parse(List.of("--workspace", "/tmp/ws"));
        assertThat(plain.screenshot()).isEmpty();
        assertThat(plain.sample()).isFalse();
        assertThat(LaunchOptions.parse(List.of("--sample", "--workspace", "/tmp/ws")).sample()).isTrue();
    }

    @Test
    void noWorkspaceMeansTheWelcomeScreen() {
        assertThat(LaunchOptions.parse(List.of()).workspace()).isEmpty();
    }

    @Test
    void reportsEveryProblemWithUsage() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--sample", "--bogus", "--screenshot")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown argument '--bogus'")
                .hasMessageContaining("--screenshot needs a value")
                .hasMessageContaining("--workspace DIR is required with --sample and --screenshot")
                .hasMessageContaining(LaunchOptions.USAGE);
    }
}
