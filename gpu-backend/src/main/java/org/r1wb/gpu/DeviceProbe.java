package org.r1wb.gpu;

import java.util.List;
import java.util.Optional;

/**
 * Finds the compute this machine offers: the CUDA runtime through JavaCPP first, {@code nvidia-smi}
 * second, and otherwise a CPU-only report that carries both reasons.
 */
public final class DeviceProbe {

    private DeviceProbe() {
    }

    /** Probes this machine. Never throws for a missing driver or tool: that is a {@link DeviceReport.Kind#CPU} report. */
    public static DeviceReport probe() {
        String[] cudaReason = new String[1];
        Optional<List<GpuDevice>> cuda = CudaRuntimeProbe.devices(cudaReason);
        int cores = Runtime.getRuntime().availableProcessors();
        if (cuda.isPresent()) {
            return new DeviceReport(DeviceReport.Kind.CUDA, cuda.get(), cores, "cudart", null);
        }
        String[] smiReason = new String[1];
        Optional<List<GpuDevice>> smi = NvidiaSmi.devices(smiReason);
        if (smi.isPresent()) {
            return new DeviceReport(DeviceReport.Kind.CUDA, smi.get(), cores, "nvidia-smi", cudaReason[0]);
        }
        return DeviceReport.cpuOnly(cudaReason[0] + "; " + smiReason[0]);
    }
}
