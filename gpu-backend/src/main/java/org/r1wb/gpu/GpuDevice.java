package org.r1wb.gpu;

/** One CUDA device as discovered: index, name, total memory in MiB, compute capability ("9.0"). */
public record GpuDevice(int index, String name, long memoryMiB, String computeCapability) {
}
