package org.r1wb.agent;

import org.r1wb.resources.PythonBackend;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the trainer for a run in a child JVM, so a crash or an out-of-memory in training takes down
 * that process only, never the workbench or the CLI that launched it. The child writes the run's
 * journal; the parent follows it.
 */
public final class LocalRunLauncher {

    /** Where {@code setsid} (util-linux) lives; it execs in place, so the pid stays the trainer's. */
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    /** The run folder's copy of the PyTorch backend's sources. */
    public static final String BACKEND = "backend";

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

    /**
     * Starts the PyTorch backend on this machine for the run ({@code python3 -m r1wb_torch.train RUN_DIR args…}), its
     * sources copied from the resources jar into the run folder's {@code backend/} so the run keeps the code it
     * trained with; output appended to {@code agent.log}. The trainer writes the same journal, lock and checkpoints.
     */
    public Process startPytorch(RunFolder run, List<String> args) throws IOException {
        Path backend = run.dir().resolve(BACKEND).resolve(PythonBackend.PACKAGE);
        Files.createDirectories(backend);
        for (Map.Entry<String, byte[]> file : PythonBackend.files().entrySet()) {
            Files.write(backend.resolve(file.getKey()), file.getValue());
        }
        List<String> command = new ArrayList<>(List.of(python(), "-m", "r1wb_torch.train", run.dir().toString()));
        command.addAll(args);
        return start(run, command, null, Map.of("PYTHONPATH", backend.getParent().toString(), "PYTHONDONTWRITEBYTECODE", "1"));
    }

    /** Debian's python3, where {@code python3-torch} lives, before whatever {@code python3} is first on the PATH. */
    private static String python() {
        return Files.isExecutable(DEBIAN_PYTHON) ? DEBIAN_PYTHON.toString() : "python3";
    }

    private static Process start(RunFolder run, List<String> command) throws IOException {
        return start(run, command, null);
    }

    private static Process start(RunFolder run, List<String> command, char[] input) throws IOException {
        return start(run, command, input, Map.of());
    }

    private static Process start(RunFolder run, List<String> command, char[] input, Map<String, String> environment)
            throws IOException {
        Files.createDirectories(run.dir());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.dir().resolve(RunFolder.LOG).toFile()));
        builder.environment().putAll(environment);
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
