package org.r1wb.views.device;

/**
 * The node runs on CPU: a state, not an error.
 *
 * @param reason why no GPU is used ("no nvidia-smi on the node's PATH")
 * @param cores  the CPU cores the run may use, 0 when not reported
 * @param rssMib the run's resident memory in MiB, {@code NaN} when not reported
 */
public record CpuOnly(String reason, int cores, double rssMib) {
}
