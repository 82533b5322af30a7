package org.r1wb.workbench.run;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.RunFolder;
import org.r1wb.gpu.EngineChoice;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The launcher's "This machine (GPU)" target: refused with the engine selection's reason where there is no usable
 * GPU (nothing written), and started as the PyTorch backend on CUDA where the selection found a CUDA PyTorch. This
 * CPU machine can only show the second case's launch (command line, sources in the run folder, the backend's own
 * verdict in the journal), not a GPU training.
 */
class LocalGpuTargetTest {

    @TempDir
    Path ws;

    private RunRequest request() throws Exception {
        Path data = TinyWorkspace.create(ws);
        return new RunRequest(data, ws.resolve(TinyWorkspace.MODEL), 4, 1e-3, 1, RunTarget.LOCAL_GPU);
    }

    private RunStarter starter(EngineChoice choice) {
        return new RunStarter(ws, new LocalRunLauncher(List.of("-Xmx512m")), ws.resolve("known_hosts"), () -> choice);
    }

    @Test
    void withoutAGpuTheTargetIsRefusedWithTheReasonAndNothingIsWritten() throws Exception {
        RunRequest request = request();
        assertThatThrownBy(() -> starter(new EngineChoice(EngineChoice.Engine.DJL_CPU,
                "CPU only: no NVIDIA driver (libcuda.so.1 not found)")).start(request))
                .hasMessageContaining("no GPU to train on here: CPU only: no NVIDIA driver (libcuda.so.1 not found)")
                .hasMessageContaining("This machine (CPU");
        assertThatThrownBy(() -> starter(new EngineChoice(EngineChoice.Engine.DJL_CUDA, "DJL on the CUDA libtorch 2.7.1+cu126"))
                .start(request)).hasMessageContaining("needs a CUDA PyTorch importable by python3");
        assertThat(RunFolder.list(ws)).isEmpty();
    }

    @Test
    void withACudaPytorchTheRunStartsAsThePytorchBackendOnCuda() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "skipped: no /usr/bin/python3");
        RunRequest request = request();
        RunStarter.Started started = starter(new EngineChoice(EngineChoice.Engine.PYTORCH,
                "PyTorch backend with the node's PyTorch 2.5.1 on CUDA")).start(request);
        Optional<String[]> arguments = started.process().info().arguments();
        assertThat(started.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
        arguments.ifPresent(args -> assertThat(String.join(" ", args))
                .contains("-m r1wb_torch.train " + started.run().dir(), "--device cuda"));
        assertThat(started.run().dir().resolve(LocalRunLauncher.BACKEND).resolve("r1wb_torch/train.py")).exists();
        String log = Files.readString(started.run().dir().resolve(RunFolder.LOG));
        Assumptions.assumeFalse(log.contains("No module named 'torch'"), "skipped: python3 has no torch (apt-get install python3-torch)");
        List<RunEvent> journal = EventJournal.read(started.run().events());
        RunEvent last = journal.stream().filter(e -> "status".equals(e.type())).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("the backend wrote no status; its log:\n" + log));
        // a machine with CUDA trains; this CPU machine gets the backend's own clear refusal in the journal
        if (!"finished".equals(last.text("state"))) {
            assertThat(last.text("state")).as(log).isEqualTo("failed");
            assertThat(last.text("message").toLowerCase()).as(log).contains("cuda");
        }
    }
}
