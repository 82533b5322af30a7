package org.r1wb.agent.remote;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A one-node Slurm cluster on this machine for a test: its own munge daemon (own key and socket), slurmctld and
 * slurmd on free ports, state, spool and logs all under one folder. Debian's {@code slurm-wlm} and {@code munge}
 * (installed by {@code .ci/run}); slurmd runs jobs as their owner, so it needs root. The workbench's tests use it
 * too (the agent's test jar).
 */
public final class LocalSlurm implements AutoCloseable {

    private static final List<String> DAEMONS = List.of("munged", "slurmctld", "slurmd");

    private final Path dir;
    private final List<Path> pidFiles = new ArrayList<>();

    private LocalSlurm(Path dir) {
        this.dir = dir;
    }

    /** Why this machine cannot host the cluster, or {@code null} when it can. */
    public static String unavailable() {
        for (String daemon : DAEMONS) {
            if (Stream.of("/usr/sbin", "/usr/bin").noneMatch(d -> Files.isExecutable(Path.of(d, daemon)))) {
                return daemon + " is not installed (apt-get install slurm-wlm munge; .ci/run does)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "slurmd must run as root to start jobs, and this test runs as " + System.getProperty("user.name");
        }
        return null;
    }

    /** The shell line that points Slurm's commands at this cluster ({@code SlurmTarget.setup}). */
    public String setup() {
        return "export SLURM_CONF='" + conf() + "'";
    }

    Path conf() {
        return dir.resolve("slurm.conf");
    }

    public static LocalSlurm start(Path dir) throws IOException, InterruptedException {
        LocalSlurm slurm = new LocalSlurm(dir);
        try {
            slurm.boot();
        } catch (IOException | InterruptedException | RuntimeException e) {
            slurm.close();
            throw e;
        }
        return slurm;
    }

    private void boot() throws IOException, InterruptedException {
        for (String sub : List.of("munge", "state", "spool", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path munge = dir.resolve("munge");
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwx--x--x"));
        byte[] key = new byte[128];
        new SecureRandom().nextBytes(key);
        Path keyFile = munge.resolve("munge.key");
        Files.write(keyFile, key);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        pidFiles.add(munge.resolve("munged.pid"));
        run("munged", "--force", "--socket=" + munge.resolve("socket"), "--key-file=" + keyFile,
                "--log-file=" + dir.resolve("log/munged.log"), "--pid-file=" + munge.resolve("munged.pid"),
                "--seed-file=" + munge.resolve("seed"));

        String host = InetAddress.getLocalHost().getHostName();
        int cpus = Runtime.getRuntime().availableProcessors();
        String conf = String.join("\n",
                "ClusterName=r1wbtest",
                "SlurmctldHost=localhost",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + munge.resolve("socket"),
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SwitchType=switch/none",
                "MpiDefault=none",
                "ReturnToService=2",
                "SchedulerType=sched/backfill",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                // a cancelled job is signalled with SIGTERM, and killed only after this many seconds
                "KillWait=30",
                "MinJobAge=600",
                "NodeName=localhost NodeHostname=" + host + " CPUs=" + cpus + " State=UNKNOWN",
                "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
                "");
        Files.writeString(conf(), conf, StandardCharsets.UTF_8);
        pidFiles.add(dir.resolve("slurmctld.pid"));
        run("slurmctld", "-f", conf().toString(), "-i");
        pidFiles.add(dir.resolve("slurmd.pid"));
        run("slurmd", "-f", conf().toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = command("sinfo", "-h", "-o", "%T").strip();
            if (state.equals("idle")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("the local Slurm node did not become idle within 60 s (sinfo says '" + state
                + "'); see " + dir.resolve("log"));
    }

    /** Runs a Slurm client command against this cluster; its standard output. */
    String command(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("SLURM_CONF", conf().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private void run(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("SLURM_CONF", conf().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", args) + " failed: " + out.strip());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Cancels every job, waits for them to go, then stops the daemons. */
    @Override
    public void close() {
        try {
            if (Files.exists(conf())) {
                command("scancel", "--full", "--user=" + System.getProperty("user.name"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (System.nanoTime() < deadline && !command("squeue", "-h").isBlank()) {
                    Thread.sleep(200);
                }
            }
        } catch (IOException e) {
            // the daemons go below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = pidFiles.size() - 1; i >= 0; i--) {
            stop(pidFiles.get(i));
        }
    }

    private static void stop(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy();
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // nothing to stop
        }
    }
}
