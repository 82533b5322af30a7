package org.r1wb.agent;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The real {@code r1wb} command line run in this JVM, with what it prints collected across calls. */
final class Cli {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs {@code r1wb args…}; returns its exit code. */
    int run(String... args) {
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }
}
