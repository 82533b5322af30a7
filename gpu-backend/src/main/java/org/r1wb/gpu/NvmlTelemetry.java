package org.r1wb.gpu;

import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.cuda.nvml.nvmlUtilization_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Live GPU figures through NVML (JavaCPP). Like the CUDA runtime, NVML's library is absent without a
 * driver: the first call throws {@link UnsatisfiedLinkError}, later ones {@link NoClassDefFoundError}.
 * The {@link LinkageError} is caught once and its reason kept; {@code nvidia-smi} remains the fallback.
 */
public final class NvmlTelemetry {

    private static final int MIB = 1024 * 1024;
    private static volatile String unavailable;
    private static volatile boolean initialised;

    private NvmlTelemetry() {
    }

    /** A reading of every device, or empty with {@code reason[0]} set to why NVML cannot be used. */
    public static synchronized Optional<List<GpuSample>> sample(String[] reason) {
        if (unavailable != null) {
            reason[0] = unavailable;
            return Optional.empty();
        }
        try {
            if (!initialised) {
                check(nvml.nvmlInit_v2(), "nvmlInit");
                initialised = true;
            }
            IntPointer count = new IntPointer(1);
            check(nvml.nvmlDeviceGetCount_v2(count), "nvmlDeviceGetCount");
            List<GpuSample> samples = new ArrayList<>();
            for (int i = 0; i < count.get(); i++) {
                samples.add(read(i));
            }
            return Optional.of(samples);
        } catch (LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            unavailable = "NVML not loadable (" + message + ")";
            reason[0] = unavailable;
            return Optional.empty();
        } catch (IllegalStateException e) {
            reason[0] = e.getMessage();
            return Optional.empty();
        }
    }

    private static GpuSample read(int index) {
        nvmlDevice_st device = new nvmlDevice_st();
        check(nvml.nvmlDeviceGetHandleByIndex_v2(index, device), "nvmlDeviceGetHandleByIndex");
        BytePointer name = new BytePointer(96);
        check(nvml.nvmlDeviceGetName(device, name, 96), "nvmlDeviceGetName");
        try (nvmlUtilization_t utilization = new nvmlUtilization_t(); nvmlMemory_t memory = new nvmlMemory_t()) {
            check(nvml.nvmlDeviceGetUtilizationRates(device, utilization), "nvmlDeviceGetUtilizationRates");
            check(nvml.nvmlDeviceGetMemoryInfo(device, memory), "nvmlDeviceGetMemoryInfo");
            IntPointer temperature = new IntPointer(1);
            check(nvml.nvmlDeviceGetTemperature(device, nvml.NVML_TEMPERATURE_GPU, temperature), "nvmlDeviceGetTemperature");
            IntPointer milliwatts = new IntPointer(1);
            double power = nvml.nvmlDeviceGetPowerUsage(device, milliwatts) == nvml.NVML_SUCCESS
                    ? milliwatts.get() / 1000.0 : Double.NaN;
            return new GpuSample(index, name.getString(), utilization.gpu(), memory.used() / MIB,
                    memory.total() / MIB, temperature.get(), power);
        }
    }

    private static void check(int status, String call) {
        if (status != nvml.NVML_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + nvml.nvmlErrorString(status).getString());
        }
    }
}
