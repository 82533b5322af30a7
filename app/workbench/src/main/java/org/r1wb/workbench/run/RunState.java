package org.r1wb.workbench.run;

import java.util.Locale;

/** The lifecycle state of a run, from the {@code state} field of its {@code status} events. */
public enum RunState {
    /** No status event seen yet (the agent has not started, or the journal is empty). */
    UNKNOWN,
    RUNNING,
    FINISHED,
    FAILED,
    CANCELLED;

    /** The state named on the wire ({@code running}, {@code finished}, …); unknown names map to {@link #UNKNOWN}. */
    public static RunState of(String wire) {
        if (wire == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(wire.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Whether the run can no longer change, so there is nothing left to tail. */
    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }

    /** The lower-case wire name, also used as the label. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
