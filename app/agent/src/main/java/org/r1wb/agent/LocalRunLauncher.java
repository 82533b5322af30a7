package org.r1wb.agent;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the trainer for a run in a child JVM, so a crash or an out-of-memory in training takes down
 * that process only, never the workbench or the CLI that launched it. The child writes the run's
 * journal; the parent follows it.
 */
public final class LocalRunLauncher {

    /** Where {@code setsid} (util-linux) lives; it execs in place, so the pid stays the trainer's. */
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final List<String> jvmOptions;

    /** A launcher whose child JVMs get {@code jvmOptions} besides the DJL offline flags. */
    public LocalRunLauncher(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The command line of a child agent running {@code args}, on this JVM's java and class path. */
    public List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        // java.home, not this process's command: under a jpackage launcher that command is the native launcher
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Djl.JVM_FLAGS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }

    /**
     * Starts {@code r1wb train --run-dir DIR} for the run, its output appended to the run's
     * {@code agent.log}, and records the child's pid in the run folder.
     */
    public Process startTraining(RunFolder run) throws IOException {
        return start(run, command(List.of("train", "--run-dir", run.dir().toString())));
    }

    /**
     * Like {@link #startTraining} but in a new session ({@code setsid}, where the system has it), so neither a
     * Ctrl-C in the terminal nor the end of an SSH session reaches the trainer: it outlives whoever started it.
     */
    public Process startDetached(RunFolder run) throws IOException {
        return startDetached(run, List.of());
    }

    /** {@link #startDetached(RunFolder)} with more {@code train} options ({@code --device-every 5}). */
    public Process startDetached(RunFolder run, List<String> trainOptions) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--run-dir", run.dir().toString()));
        args.addAll(trainOptions);
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        command.addAll(command(args));
        return start(run, command);
    }

    /**
     * Starts a child agent with {@code args} for the run (e.g. {@code remote start … --follow}), its output appended
     * to the run's {@code agent.log}; {@code input}, when not {@code null}, is written to its standard input, which is
     * then closed (how a passphrase reaches it without touching a disk).
     */
    public Process startAgent(RunFolder run, List<String> args, char[] input) throws IOException {
        return start(run, command(args), input);
    }

    private static Process start(RunFolder run, List<String> command) throws IOException {
        return start(run, command, null);
    }

    private static Process start(RunFolder run, List<String> command, char[] input) throws IOException {
        Files.createDirectories(run.dir());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.dir().resolve(RunFolder.LOG).toFile()));
        Process process = builder.start();
        try (Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            if (input != null) {
                stdin.write(input);
                stdin.write('\n');
            }
        }
        Files.writeString(run.dir().resolve(RunFolder.PID), Long.toString(process.pid()));
        return process;
    }
}
