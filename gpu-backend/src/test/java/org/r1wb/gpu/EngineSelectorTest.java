package org.r1wb.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EngineSelectorTest {

    private static final DeviceReport ONE_H100 = new DeviceReport(DeviceReport.Kind.CUDA,
            List.of(new GpuDevice(0, "NVIDIA H100 80GB HBM3", 81559, "9.0")), 32, "nvidia-smi", null);
    private final EngineSelector selector = EngineSelector.forThisBuild();

    @Test
    void aCpuMachineTrainsWithDjlOnTheCpuAndSaysWhy() {
        EngineChoice choice = selector.choose(new NodeFacts(DeviceReport.cpuOnly("no NVIDIA driver"),
                Optional.empty(), Optional.empty(), Optional.empty(), false));

        assertThat(choice.engine()).isEqualTo(EngineChoice.Engine.DJL_CPU);
        assertThat(choice.reason()).isEqualTo("CPU only: no NVIDIA driver");
    }

    @Test
    void djlUsesTheGpuOnlyWithExactlyItsLibtorchVersionBuiltForCuda() {
        Path lib = Path.of("/opt/libtorch/lib");
        assertThat(selector.choose(facts(lib, "2.7.1+cu126", null, false)).engine())
                .isEqualTo(EngineChoice.Engine.DJL_CUDA);
        assertThat(selector.choose(facts(lib, "2.7.1+cpu", null, false)).engine())
                .isEqualTo(EngineChoice.Engine.DJL_CPU);
        EngineChoice wrongVersion = selector.choose(facts(lib, "2.5.0+cu121", "2.5.0", true));
        assertThat(wrongVersion.engine()).isEqualTo(EngineChoice.Engine.PYTORCH);
        assertThat(wrongVersion.reason()).contains("2.5.0+cu121").contains("DJL needs 2.7.1 with CUDA");
    }

    @Test
    void aGpuNodeWithoutMatchingLibtorchFallsBackToThePytorchBackendOrExplainsWhyNot() {
        EngineChoice pytorch = selector.choose(facts(null, null, "2.4.1+cu124", true));
        assertThat(pytorch.engine()).isEqualTo(EngineChoice.Engine.PYTORCH);
        assertThat(pytorch.reason()).contains("PYTORCH_LIBRARY_PATH is not set").contains("2.4.1+cu124");

        EngineChoice nothing = selector.choose(facts(null, null, "1.13.1", false));
        assertThat(nothing.engine()).isEqualTo(EngineChoice.Engine.DJL_CPU);
        assertThat(nothing.reason()).contains("GPU present but unusable").contains("1.13.1 sees no CUDA");
    }

    @Test
    void readsLibtorchBuildVersionBesideItsLibFolder(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.writeString(dir.resolve("libtorch/build-version"), "2.7.1+cu126\n");

        assertThat(NodeFacts.buildVersion(lib)).contains("2.7.1+cu126");
        assertThat(NodeFacts.buildVersion(dir)).isEmpty();
    }

    @Test
    void parsesThePythonProbe() {
        assertThat(NodeFacts.parsePythonProbe(0, "2.4.1+cu124 True\n")).containsExactly("2.4.1+cu124", "True");
        assertThat(NodeFacts.parsePythonProbe(1, "ModuleNotFoundError: No module named 'torch'"))
                .containsExactly(null, null);
    }

    private static NodeFacts facts(Path lib, String build, String python, boolean pythonCuda) {
        return new NodeFacts(ONE_H100, Optional.ofNullable(lib), Optional.ofNullable(build),
                Optional.ofNullable(python), pythonCuda);
    }
}
