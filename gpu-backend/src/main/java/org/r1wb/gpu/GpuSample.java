package org.r1wb.gpu;

/**
 * One reading of one GPU, the payload of a {@code device} event.
 *
 * @param index        device index
 * @param name         marketing name
 * @param utilization  GPU utilisation over the driver's last sample period, percent
 * @param memUsedMiB   memory in use
 * @param memTotalMiB  memory in all
 * @param temperatureC core temperature
 * @param powerW       board power draw
 */
public record GpuSample(int index, String name, double utilization, long memUsedMiB, long memTotalMiB,
                        double temperatureC, double powerW) {
}
