package org.r1wb.gpu;

import java.util.List;

/**
 * What compute a machine offers. "CPU only" is a state, not an error: {@link #reason()} says why no GPU
 * was found, so the user sees the cause (no driver, no device, no nvidia-smi) rather than a stack trace.
 */
public record DeviceReport(Kind kind, List<GpuDevice> gpus, int cpuCores, String source, String reason) {

    /** Which compute a run can use. */
    public enum Kind { CPU, CUDA }

    public DeviceReport {
        gpus = List.copyOf(gpus);
    }

    /** A CPU-only report with the reason no GPU was found. */
    public static DeviceReport cpuOnly(String reason) {
        return new DeviceReport(Kind.CPU, List.of(), Runtime.getRuntime().availableProcessors(), "none", reason);
    }

    /** One line for a console or status bar, e.g. {@code CPU only (2 cores): no NVIDIA driver}. */
    public String summary() {
        if (kind == Kind.CPU) {
            return "CPU only (" + cpuCores + " cores): " + reason;
        }
        StringBuilder text = new StringBuilder(gpus.size() + " CUDA device(s) via " + source + ":");
        for (GpuDevice gpu : gpus) {
            text.append(" [").append(gpu.index()).append("] ").append(gpu.name())
                    .append(", ").append(gpu.memoryMiB()).append(" MiB");
            if (gpu.computeCapability() != null) {
                text.append(", sm ").append(gpu.computeCapability());
            }
        }
        return text.toString();
    }
}
