package org.r1wb.views.device;

/**
 * One {@code device} event for one GPU: its live figures at one moment. Figures the driver does not
 * report are {@code NaN}.
 *
 * @param timeMillis  when it was read, epoch milliseconds
 * @param index       the device index on its node
 * @param name        the device name ("NVIDIA H200")
 * @param utilPercent GPU utilisation, 0–100
 * @param memUsedMib  memory in use, MiB
 * @param memTotalMib memory in all, MiB
 * @param tempC       temperature, °C
 * @param powerW      power draw, W
 */
public record DeviceSample(long timeMillis, int index, String name, double utilPercent, double memUsedMib,
                           double memTotalMib, double tempC, double powerW) {
}
