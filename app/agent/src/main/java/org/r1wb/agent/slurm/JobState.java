package org.r1wb.agent.slurm;

import java.util.Locale;

/**
 * A Slurm job's state as {@code squeue}, {@code sacct} and {@code scontrol} name it, grouped by what the run manager
 * does about it: wait ({@link #isWaiting()}), follow ({@link #RUNNING}), or stop following ({@link #isFinal()}).
 */
public enum JobState {
    PENDING, CONFIGURING, RUNNING, COMPLETING, SUSPENDED, REQUEUED, REQUEUE_HOLD, REQUEUE_FED, RESIZING, STOPPED,
    COMPLETED, CANCELLED, FAILED, TIMEOUT, PREEMPTED, NODE_FAIL, BOOT_FAIL, DEADLINE, OUT_OF_MEMORY, SPECIAL_EXIT,
    REVOKED,
    /** Neither the queue, the accounting nor the controller knows the job (any more). */
    UNKNOWN;

    /**
     * Parses a state word as the Slurm tools print it: upper or lower case, with {@code sacct}'s suffixes
     * ({@code CANCELLED by 0}, {@code CANCELLED+}); anything unrecognised is {@link #UNKNOWN}.
     */
    public static JobState parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String word = text.strip().split("[\\s+]", 2)[0].toUpperCase(Locale.ROOT);
        for (JobState state : values()) {
            if (state.name().equals(word)) {
                return state;
            }
        }
        return UNKNOWN;
    }

    /** Queued or held: the job has not started yet, or will start again (a preempted, requeued job). */
    public boolean isWaiting() {
        return switch (this) {
            case PENDING, CONFIGURING, SUSPENDED, REQUEUED, REQUEUE_HOLD, REQUEUE_FED, RESIZING, STOPPED -> true;
            default -> false;
        };
    }

    /** Over: the job will not run again unless it is submitted again. */
    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, CANCELLED, FAILED, TIMEOUT, PREEMPTED, NODE_FAIL, BOOT_FAIL, DEADLINE, OUT_OF_MEMORY,
                 SPECIAL_EXIT, REVOKED, UNKNOWN -> true;
            default -> false;
        };
    }
}
