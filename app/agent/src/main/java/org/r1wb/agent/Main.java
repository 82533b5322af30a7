package org.r1wb.agent;

/** Entry point of the headless {@code r1wb} agent and CLI. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Djl.offline();
        System.exit(R1wbCommand.commandLine().execute(args));
    }
}
