package org.r1wb.agent.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.agent.DeviceSampler;
import org.r1wb.agent.Djl;
import org.r1wb.agent.GpuTelemetry;
import org.r1wb.agent.Main;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.RunSpec;
import org.r1wb.resources.PythonBackend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the workbench does on a node over one {@link SshSession}: check its Java, upload the agent distribution
 * and a run's shards once per content digest, start the run detached, cancel it, fetch a checkpoint, and ask
 * {@code nvidia-smi} about its GPUs.
 *
 * <p>Node layout under {@link NodeSpec#remoteDir()}: {@code dist/<digest>/lib/*.jar},
 * {@code workspace/data/<digest>/} and {@code workspace/runs/<id>/}. Uploads grow in a hidden temp folder and are
 * renamed to their digest only once every file is complete and of the right size, so an interrupted upload (a
 * full disk, a dropped link) never leaves a folder that a later run would trust.
 */
public final class RemoteNode {

    /** The node-side workspace, under the agent folder. */
    public static final String WORKSPACE = "workspace";
    /** Marks an upload folder as complete; written last. */
    static final String COMPLETE = ".complete";

    private static final int MIN_JAVA = 17;
    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The wire is UTF-8 whatever the node's locale: an SSH session often has none, and Java would fall back to ASCII. */
    private static final List<String> UTF8 = List.of("-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
            "-Dsun.stderr.encoding=UTF-8");
    /** attach and cancel: small, and quicker to start without the optimising compiler and parallel GC threads. */
    private static final List<String> SHORT_LIVED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m");

    private final SshSession ssh;
    private final NodeSpec node;
    private String home;

    public RemoteNode(SshSession ssh) {
        this.ssh = ssh;
        this.node = ssh.node();
    }

    /** The agent folder on the node, absolute; created on first use. */
    public String home() throws RemoteException {
        if (home == null) {
            SshSession.Result result = ssh.exec("mkdir -p " + Shell.quote(node.remoteDir()) + " && cd "
                    + Shell.quote(node.remoteDir()) + " && pwd");
            if (result.exitCode() != 0) {
                throw RemoteException.refused("cannot create the agent folder " + node.remoteDir() + " on "
                        + node.address() + ": " + result.firstLine());
            }
            home = result.stdout().strip();
        }
        return home;
    }

    /** The node's Java version line; a clear refusal when there is none, or one older than 17. */
    public String checkJava() throws RemoteException {
        SshSession.Result result = ssh.exec(Shell.quote(node.java()) + " -version 2>&1");
        String output = result.stdout().strip();
        Matcher version = JAVA_VERSION.matcher(output);
        if (result.exitCode() != 0 || !version.find()) {
            throw RemoteException.refused("no usable Java on " + node.address() + ": '" + node.java() + " -version' "
                    + (result.exitCode() == 127 ? "was not found" : "failed (exit " + result.exitCode() + ")")
                    + " in a non-interactive shell" + (output.isEmpty() ? "" : " (" + firstLine(output) + ")")
                    + ". Install a JDK " + MIN_JAVA + "+ on the node (e.g. apt-get install openjdk-17-jre-headless), "
                    + "or set the node's 'java' to the full path of its java launcher");
        }
        int major = Integer.parseInt(version.group(2));
        if (major < MIN_JAVA) {
            throw RemoteException.refused("Java " + major + " on " + node.address() + " is too old: the agent needs "
                    + MIN_JAVA + "+ (" + firstLine(output) + "); install a newer JDK or point the node's 'java' at one");
        }
        return firstLine(output);
    }

    /** Uploads the distribution unless the node has it already; returns its folder on the node. */
    public Upload ensureDistribution(Distribution dist) throws IOException {
        return uploadOnce(home() + "/dist", dist.digest(), dist.files());
    }

    /** Uploads the shard folder {@code shards} unless the node has it; returns its folder on the node. */
    public Upload ensureData(Path shards) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(shards)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(shards.relativize(file).toString().replace('\\', '/'), file);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("the shard folder " + shards + " is empty");
        }
        return uploadOnce(home() + "/" + WORKSPACE + "/data", ContentDigest.of(files), files);
    }

    /**
     * Uploads the PyTorch backend's sources ({@code r1wb_torch}, from the resources jar) unless the node has them;
     * returns the folder to put on {@code PYTHONPATH}.
     */
    public Upload ensurePythonBackend() throws IOException {
        Path local = Files.createTempDirectory("r1wb-python");
        try {
            Map<String, Path> files = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> file : PythonBackend.files().entrySet()) {
                Path path = local.resolve(file.getKey());
                Files.write(path, file.getValue());
                files.put(PythonBackend.PACKAGE + "/" + file.getKey(), path);
            }
            return ensureFiles("python", files);
        } finally {
            deleteTree(local);
        }
    }

    /**
     * Uploads {@code files} ({@code name → local file}) into a folder under {@code area} of the agent folder, named
     * by their content digest, unless the node has it; returns that folder.
     */
    public Upload ensureFiles(String area, Map<String, Path> files) throws IOException {
        return uploadOnce(home() + "/" + area, ContentDigest.of(files), files);
    }

    /** A folder on the node and whether this call transferred it (false: it was there already). */
    public record Upload(String path, boolean transferred, String digest) {
    }

    /**
     * Starts {@code spec} on the node, detached from this SSH session ({@code setsid}/{@code nohup}, I/O to the
     * run's {@code agent.log}): its data must already be at {@code data}. The run goes on after the link drops.
     */
    public RemoteRun startRun(RunSpec spec, Upload dist, Upload data) throws IOException {
        return startRun(spec, dist, data, DeviceSampler.DEFAULT_EVERY);
    }

    /**
     * {@link #startRun(RunSpec, Upload, Upload)}, the trainer writing the node's GPU status into the run's journal
     * every {@code deviceEvery} ({@code r1wb train --device-every}; zero: only at start).
     */
    public RemoteRun startRun(RunSpec spec, Upload dist, Upload data, Duration deviceEvery) throws IOException {
        RemoteRun run = prepareRun(spec, dist, data);
        SshSession.Result started = ssh.exec("cd " + Shell.quote(run.workspace()) + " && if command -v setsid >/dev/null 2>&1; "
                + "then S=setsid; else S=; fi; nohup $S " + agentCommand(run, List.of("train", "--run-dir", run.runDir(),
                "--device-every", Double.toString(deviceEvery.toMillis() / 1000.0)))
                + " >> " + Shell.quote(run.runDir() + "/agent.log") + " 2>&1 < /dev/null & echo $!");
        requireOk(started, "start run " + spec.id());
        return run;
    }

    /**
     * Writes the run folder of {@code spec} on the node (its {@code run.json}, reading the shards at {@code data})
     * without starting it: a scheduler such as Slurm starts it later.
     */
    public RemoteRun prepareRun(RunSpec spec, Upload dist, Upload data) throws IOException {
        if (spec.id() == null || !spec.id().matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id '" + spec.id() + "' must be letters, digits, '.', '_' or '-'");
        }
        RemoteRun run = new RemoteRun(node, home(), dist.path(), spec.id());
        RunSpec onNode = spec.withData(new DataRef("data/" + data.digest(), spec.data().digest())).withInit(null);
        writeFile(run.runDir() + "/run.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(onNode));
        return run;
    }

    /** Writes {@code content} to {@code path} on the node through a temp file and a rename, creating its folder. */
    public void writeFile(String path, byte[] content) throws RemoteException {
        String folder = path.substring(0, Math.max(path.lastIndexOf('/'), 1));
        SshSession.Result written = ssh.exec("mkdir -p " + Shell.quote(folder) + " && cat > " + Shell.quote(path + ".tmp")
                + " && mv " + Shell.quote(path + ".tmp") + " " + Shell.quote(path), new ByteArrayInputStream(content));
        requireOk(written, "write " + path);
    }

    /** The command that prints the run's events after {@code afterSeq} and follows it: {@code r1wb attach}. */
    public static String attachCommand(RemoteRun run, long afterSeq) {
        // exec: the JVM replaces the shell, so when the SSH server ends the session and signals the command, the
        // JVM itself gets the signal instead of living on as an orphan
        return "exec " + agentCommand(run, SHORT_LIVED, List.of("attach", "-w", run.workspace(), run.runId(), "--after", Long.toString(afterSeq)));
    }

    /** Asks the run to stop after its current step ({@code r1wb cancel}). */
    public void cancel(RemoteRun run) throws RemoteException {
        requireOk(ssh.exec("exec " + agentCommand(run, SHORT_LIVED, List.of("cancel", "-w", run.workspace(), run.runId()))), "cancel " + run.runId());
    }

    /**
     * Copies checkpoint {@code name} of the run (a folder of its {@code checkpoints/}) to {@code localCheckpoints/name}
     * and returns that folder. The files grow in a hidden {@code .tmp-download-…} folder, each size-checked and renamed
     * into place when complete; the weights must match the digest in the checkpoint's {@code meta.json}; only then is
     * the folder renamed to the checkpoint's name. A link that drops mid-way leaves nothing under that name (and
     * {@code Checkpoints.latest} clears {@code .tmp-} leftovers).
     */
    public Path downloadCheckpoint(RemoteRun run, String name, Path localCheckpoints) throws IOException {
        if (name == null || !name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("checkpoint name '" + name + "' must be a folder name such as 'final' or 'step-100'");
        }
        String dir = run.runDir() + "/checkpoints/" + name;
        SshSession.Result listing = ssh.exec("cd " + Shell.quote(dir) + " && for f in *; do if [ -f \"$f\" ]; then "
                + "printf '%s\\n' \"$f\"; fi; done");
        requireOk(listing, "list checkpoint " + dir);
        TreeSet<String> files = new TreeSet<>(listing.stdout().strip().lines().filter(l -> !l.isEmpty()).toList());
        if (!files.contains(Checkpoints.META) || !files.contains(Checkpoints.WEIGHTS)) {
            throw RemoteException.refused(dir + " on " + node.address() + " is not a complete checkpoint (it has "
                    + files + ", needs " + Checkpoints.META + " and " + Checkpoints.WEIGHTS + ")");
        }
        Files.createDirectories(localCheckpoints);
        Path temp = Files.createTempDirectory(localCheckpoints, ".tmp-download-" + name + "-");
        try {
            for (String file : files) {
                ssh.download(dir + "/" + file, temp.resolve(file));
            }
            String expected = Checkpoints.readMeta(temp).weightsDigest();
            String actual = Checkpoints.sha256(temp.resolve(Checkpoints.WEIGHTS));
            if (!actual.equals(expected)) {
                throw RemoteException.refused("the weights of " + dir + " on " + node.address() + " do not match their "
                        + "digest in meta.json (" + actual + " vs " + expected + "): the checkpoint on the node is damaged");
            }
            Path target = localCheckpoints.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            if (Files.exists(temp)) {
                deleteTree(temp);
            }
        }
    }

    /** The node's GPUs as {@code device} event payloads; one {@code no-gpu} payload when it has none. */
    public List<Map<String, Object>> gpuStatus() throws RemoteException {
        SshSession.Result result = ssh.exec(GpuTelemetry.COMMAND);
        if (result.exitCode() == -1) {
            throw new RemoteException("the link to " + node.address() + " dropped while asking nvidia-smi", true, null);
        }
        return GpuTelemetry.fromOutput(result.exitCode(), result.stdout() + result.stderr());
    }

    /** The shell command that runs the agent of {@code run}'s distribution on the node with {@code args}. */
    public static String agentCommand(RemoteRun run, List<String> args) {
        return agentCommand(run, List.of(), args);
    }

    /** The shell command that runs the agent of the distribution folder {@code dist} on {@code node} with {@code args}. */
    public static String agentCommand(NodeSpec node, String dist, List<String> args) {
        return agentCommand(node, dist, List.of(), args);
    }

    private static String agentCommand(RemoteRun run, List<String> jvmOptions, List<String> args) {
        return agentCommand(run.node(), run.dist(), jvmOptions, args);
    }

    private static String agentCommand(NodeSpec node, String dist, List<String> jvmOptions, List<String> args) {
        StringBuilder command = new StringBuilder(Shell.quote(node.java()));
        for (String flag : Stream.of(Djl.JVM_FLAGS, UTF8, jvmOptions).flatMap(List::stream).toList()) {
            command.append(' ').append(Shell.quote(flag));
        }
        command.append(" -cp ").append(Shell.quote(dist + "/lib/*")).append(' ').append(Main.class.getName());
        for (String arg : args) {
            command.append(' ').append(Shell.quote(arg));
        }
        return command.toString();
    }

    private Upload uploadOnce(String parent, String digest, Map<String, Path> files) throws IOException {
        String target = parent + "/" + digest;
        if (ssh.exec("test -f " + Shell.quote(target + "/" + COMPLETE)).exitCode() == 0) {
            return new Upload(target, false, digest);
        }
        String temp = parent + "/.upload-" + digest.substring(0, 12) + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        TreeSet<String> dirs = new TreeSet<>();
        for (String name : files.keySet()) {
            int slash = name.lastIndexOf('/');
            dirs.add(slash < 0 ? temp : temp + "/" + name.substring(0, slash));
        }
        try {
            // leftovers of uploads that died more than an hour ago are never trusted; clear them away
            requireOk(ssh.exec("mkdir -p " + Shell.quote(parent) + " && find " + Shell.quote(parent)
                    + " -maxdepth 1 -name '.upload-*' -mmin +60 -exec rm -rf {} + ; mkdir -p "
                    + String.join(" ", dirs.stream().map(Shell::quote).toList())), "create " + temp);
            for (Map.Entry<String, Path> file : files.entrySet()) {
                String remote = temp + "/" + file.getKey();
                long size = Files.size(file.getValue());
                SshSession.Result result;
                try (InputStream in = Files.newInputStream(file.getValue())) {
                    result = ssh.exec("cat > " + Shell.quote(remote) + " && test \"$(wc -c < " + Shell.quote(remote)
                            + ")\" -eq " + size, in);
                }
                if (result.exitCode() != 0) {
                    throw uploadFailed(file.getValue(), size, parent, result);
                }
            }
            requireOk(ssh.exec("touch " + Shell.quote(temp + "/" + COMPLETE) + " && if [ -f " + Shell.quote(target + "/" + COMPLETE)
                    + " ]; then rm -rf " + Shell.quote(temp) + "; else rm -rf " + Shell.quote(target) + " && mv "
                    + Shell.quote(temp) + " " + Shell.quote(target) + "; fi"), "complete " + target);
            return new Upload(target, true, digest);
        } catch (IOException e) {
            removeQuietly(temp);
            throw e;
        }
    }

    /** Why an upload failed; asks {@code df} when the command did not say, since a full disk is the usual cause. */
    private RemoteException uploadFailed(Path file, long size, String parent, SshSession.Result result) throws RemoteException {
        String why = result.firstLine();
        long freeKib = -1;
        SshSession.Result df = ssh.exec("df -Pk " + Shell.quote(parent) + " | tail -n 1");
        String[] columns = df.stdout().strip().split("\\s+");
        if (df.exitCode() == 0 && columns.length >= 4 && columns[3].matches("\\d+")) {
            freeKib = Long.parseLong(columns[3]);
        }
        boolean full = why.contains("No space left") || (freeKib >= 0 && freeKib * 1024 < size);
        return RemoteException.refused("upload of " + file.getFileName() + " (" + size + " bytes) to " + node.address()
                + ":" + parent + " failed: " + (why.isEmpty() ? "exit " + result.exitCode() : why)
                + (full ? ". The node's disk is full (" + (freeKib >= 0 ? freeKib + " KiB free" : "No space left on device")
                + "): free space there and start again; the partial upload was removed and is never used" : ""));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private void removeQuietly(String dir) {
        try {
            ssh.exec("rm -rf " + Shell.quote(dir));
        } catch (RemoteException e) {
            // the link is gone; the folder keeps its temp name and is cleared by a later upload
        }
    }

    private void requireOk(SshSession.Result result, String what) throws RemoteException {
        if (result.exitCode() == -1) {
            throw new RemoteException("the link to " + node.address() + " dropped during: " + what, true, null);
        }
        if (result.exitCode() != 0) {
            throw RemoteException.refused("could not " + what + " on " + node.address() + " (exit " + result.exitCode()
                    + "): " + result.firstLine());
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
