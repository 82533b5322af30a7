package org.r1wb.agent;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** Output through the command's own streams (so tests capture it) and the named exit codes. */
public abstract class BaseCommand {

    @Spec
    protected CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a one-line error about the input and returns {@link ExitCodes#BAD_INPUT}. */
    protected int badInput(String message) {
        err().println("error: " + message);
        return ExitCodes.BAD_INPUT;
    }
}
