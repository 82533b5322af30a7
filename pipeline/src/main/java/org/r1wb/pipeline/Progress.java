package org.r1wb.pipeline;

/** Receives progress of a long step: a fraction in [0, 1] and a short human-readable message. */
@FunctionalInterface
public interface Progress {

    /** Ignores all reports. */
    Progress NONE = (fraction, message) -> { };

    void report(double fraction, String message);
}
