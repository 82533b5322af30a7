package org.r1wb.agent;

/** The exit codes every {@code r1wb} command uses, so scripts can tell a bad input from a failed run. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The job ran and failed (training diverged, a node died, ...). */
    public static final int FAILED = 1;
    /** The command line itself is wrong (picocli's own code). */
    public static final int USAGE = 2;
    /** An input file is missing, malformed or invalid; the message names it. */
    public static final int BAD_INPUT = 3;
    /** Another agent drives the run (it holds the run's lock). */
    public static final int BUSY = 4;
    /** The job was cancelled by the user. */
    public static final int CANCELLED = 130;

    private ExitCodes() {
    }
}
