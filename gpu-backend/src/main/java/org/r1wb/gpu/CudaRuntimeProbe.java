package org.r1wb.gpu;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.IntPointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks the CUDA runtime through JavaCPP for the devices. On a machine without a driver the first call
 * throws {@link UnsatisfiedLinkError} and every later one {@link NoClassDefFoundError}; both are
 * {@link LinkageError}s, caught here once and remembered, so callers only ever see a reason.
 */
final class CudaRuntimeProbe {

    private static volatile String unavailable;

    private CudaRuntimeProbe() {
    }

    /** The devices, or empty with {@code reason[0]} set to why not. */
    static Optional<List<GpuDevice>> devices(String[] reason) {
        if (unavailable != null) {
            reason[0] = unavailable;
            return Optional.empty();
        }
        try {
            IntPointer count = new IntPointer(1);
            int status = cudart.cudaGetDeviceCount(count);
            if (status != cudart.cudaSuccess) {
                reason[0] = "CUDA runtime found, but cudaGetDeviceCount failed: "
                        + cudart.cudaGetErrorString(status).getString();
                return Optional.empty();
            }
            List<GpuDevice> gpus = new ArrayList<>();
            for (int i = 0; i < count.get(); i++) {
                try (cudaDeviceProp prop = new cudaDeviceProp()) {
                    cudart.cudaGetDeviceProperties(prop, i);
                    gpus.add(new GpuDevice(i, prop.name().getString(), prop.totalGlobalMem() / (1024 * 1024),
                            prop.major() + "." + prop.minor()));
                }
            }
            if (gpus.isEmpty()) {
                reason[0] = "CUDA runtime present but reports no device";
                return Optional.empty();
            }
            return Optional.of(gpus);
        } catch (LinkageError e) {
            unavailable = "no usable CUDA driver/runtime (" + firstLine(e) + ")";
            reason[0] = unavailable;
            return Optional.empty();
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
