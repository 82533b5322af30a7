package org.r1wb.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What engine selection needs to know about a machine: its devices, the libtorch a CUDA build of DJL
 * would load ({@code PYTORCH_LIBRARY_PATH} and that libtorch's {@code build-version}), and the Python
 * PyTorch on the node ({@code torch.__version__}, whether it sees CUDA).
 *
 * @param devices              the device report
 * @param libtorchPath         {@code PYTORCH_LIBRARY_PATH}, when set
 * @param libtorchBuildVersion the {@code build-version} file of that libtorch, e.g. {@code 2.7.1+cu126}
 * @param pythonTorchVersion   {@code torch.__version__} of the node's {@code python3}, when importable
 * @param pythonTorchCuda      whether that PyTorch reports {@code torch.cuda.is_available()}
 */
public record NodeFacts(DeviceReport devices, Optional<Path> libtorchPath, Optional<String> libtorchBuildVersion,
                        Optional<String> pythonTorchVersion, boolean pythonTorchCuda) {

    /** The line a node's {@code python3} prints for {@link #PYTHON_PROBE}: version, then True/False. */
    public static final String PYTHON_PROBE =
            "import torch; print(torch.__version__, torch.cuda.is_available())";

    /** Collects the facts of this machine (the node, when the agent runs there). */
    public static NodeFacts probeLocal() {
        DeviceReport devices = DeviceProbe.probe();
        Optional<Path> libtorch = Optional.ofNullable(System.getenv("PYTORCH_LIBRARY_PATH")).map(Path::of);
        Optional<String> build = libtorch.flatMap(NodeFacts::buildVersion);
        String[] python = pythonTorch();
        return new NodeFacts(devices, libtorch, build, Optional.ofNullable(python[0]), "True".equals(python[1]));
    }

    /**
     * The {@code build-version} of the libtorch whose {@code lib/} folder is {@code libDir} (libtorch zips
     * keep it at their root, beside {@code lib/}); also accepts the root itself.
     */
    public static Optional<String> buildVersion(Path libDir) {
        for (Path candidate : new Path[] {libDir.resolve("build-version"), libDir.resolveSibling("build-version")}) {
            try {
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(Files.readString(candidate).strip());
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Parses the output of {@link #PYTHON_PROBE}: {@code [version, "True"|"False"]}, nulls when absent. */
    public static String[] parsePythonProbe(int exitCode, String output) {
        if (exitCode != 0) {
            return new String[2];
        }
        String[] words = output.strip().split("\\s+");
        return words.length >= 2 ? new String[] {words[words.length - 2], words[words.length - 1]} : new String[2];
    }

    private static String[] pythonTorch() {
        try {
            Process process = new ProcessBuilder("python3", "-c", PYTHON_PROBE).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new String[2];
            }
            return parsePythonProbe(process.exitValue(), output);
        } catch (IOException e) {
            return new String[2];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new String[2];
        }
    }
}
