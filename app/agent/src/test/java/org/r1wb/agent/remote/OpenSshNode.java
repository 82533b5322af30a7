package org.r1wb.agent.remote;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 with its own config, host key and authorized_keys in a temp folder;
 * needs {@code /usr/sbin/sshd} and root (for {@code /run/sshd} and logging in as this user).
 */
final class OpenSshNode implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final Path authorizedKeys;
    private final int port;
    private Process process;

    OpenSshNode(Path dir, Path authorizedKeys) throws IOException {
        this.dir = dir;
        this.authorizedKeys = authorizedKeys;
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
    }

    /** Why this machine cannot run the real-sshd tests, or null when it can. */
    static String unavailable() {
        if (!Files.isExecutable(SSHD)) {
            return SSHD + " is absent (install openssh-server; .ci/run does as root)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the real sshd test needs root (for /run/sshd and a login as this user)";
        }
        return null;
    }

    OpenSshNode start() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        if (!Files.exists(hostKey)) {
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys.toAbsolutePath(),
                "UsePAM no",
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "MaxStartups 100",
                "LogLevel ERROR",
                "") );
        Files.createDirectories(Path.of("/run/sshd"));
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    int port() {
        return port;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed: " + output);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
        }
    }
}
