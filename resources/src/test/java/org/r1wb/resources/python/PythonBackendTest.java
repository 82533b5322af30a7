package org.r1wb.resources.python;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the PyTorch backend's Python unit tests ({@code src/test/python}) with Debian's interpreter, which has
 * {@code python3-torch}; skipped, with the reason shown, where that interpreter or torch is missing.
 */
class PythonBackendTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path PACKAGE_ROOT = Path.of("src/main/resources/org/r1wb/resources/python");
    static final Path TESTS = Path.of("src/test/python");

    @Test
    void pythonUnitTestsPass() throws Exception {
        assumeTorch();
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), "-m", "unittest", "discover", "-v",
                "-s", TESTS.toString(), "-p", "test_*.py").redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", PACKAGE_ROOT.toAbsolutePath().toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("OK").doesNotContain("skipped");
    }

    static void assumeTorch() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: install Debian's python3-torch");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch")
                .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                PYTHON + " cannot import torch: apt-get install python3-torch");
    }
}
