package org.r1wb.agent.remote;

/** POSIX shell quoting for commands sent to a node. */
public final class Shell {

    private Shell() {
    }

    /** {@code text} as one single-quoted shell word. */
    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
