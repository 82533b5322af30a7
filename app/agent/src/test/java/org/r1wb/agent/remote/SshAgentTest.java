package org.r1wb.agent.remote;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.TinyRuns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node with {@code useAgent} and no key file authenticates through a real OpenSSH ssh-agent. */
class SshAgentTest {

    @Test
    void aNodeWithoutAKeyFileLogsInWithTheKeysOfTheSshAgent(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("ssh-agent") && onPath("ssh-add"),
                "skipped: ssh-agent/ssh-add are not installed (apt-get install openssh-client)");
        TestKeys authorized = TestKeys.create(tmp.resolve("keys"), "id");
        TestKeys stranger = TestKeys.create(tmp.resolve("keys"), "stranger");
        Path socket = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
        try {
            TinyRuns.await("the ssh-agent's socket", Duration.ofSeconds(30), () -> Files.exists(socket));
            try (MinaNode server = new MinaNode(tmp.resolve("hostkey"), authorized.authorizedKeys(), null).start()) {
                NodeSpec node = new NodeSpec("agent-node", "127.0.0.1", server.port(), "me", null, true, null, null, null);
                assertThat(node.problems()).isEmpty();
                SshConnector connector = new SshConnector(tmp.resolve("known_hosts"), (h, t, f) -> true, Passphrases.NONE)
                        .withAgentSocket(socket);

                sshAdd(socket, stranger.privateKey());
                assertThatThrownBy(() -> connector.open(node)).isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("refused the key of the ssh-agent");
                });

                NodeSpec keyFileToo = new NodeSpec("both", "127.0.0.1", server.port(), "me",
                        authorized.privateKey().toString(), true, null, null, null);
                try (SshSession ssh = connector.open(keyFileToo)) {
                    assertThat(ssh.exec("echo via-file").stdout()).isEqualTo("via-file\n");
                }
                assertThat(sshAgent(socket, "-l").lines()).as("the key file's key was not loaded into the agent")
                        .singleElement().satisfies(line -> assertThat(line).contains(fingerprint(stranger)));

                sshAdd(socket, authorized.privateKey());
                try (SshSession ssh = connector.open(node)) {
                    assertThat(ssh.exec("echo via-agent").stdout()).isEqualTo("via-agent\n");
                }
            }
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        SshConnector noAgent = new SshConnector(tmp.resolve("known_hosts"), (h, t, f) -> true, Passphrases.NONE)
                .withAgentSocket(socket);
        NodeSpec node = new NodeSpec("agent-node", "127.0.0.1", 22, "me", null, true, null, null, null);
        assertThatThrownBy(() -> noAgent.open(node)).isInstanceOfSatisfying(RemoteException.class, e ->
                assertThat(e.getMessage()).contains("no ssh-agent is reachable").contains(socket.toString()));
    }

    private static void sshAdd(Path socket, Path key) throws IOException, InterruptedException {
        // ssh-add refuses a private key that others may read
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        sshAgent(socket, key.toString());
    }

    /** Runs {@code ssh-add ARG} against the agent at {@code socket}; returns its output. */
    private static String sshAgent(Path socket, String arg) throws IOException, InterruptedException {
        ProcessBuilder add = new ProcessBuilder("ssh-add", arg).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process process = add.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("ssh-add " + arg + ": " + output).isZero();
        return output;
    }

    /** The key's {@code SHA256:} fingerprint as ssh-add -l prints it. */
    private static String fingerprint(TestKeys keys) throws Exception {
        String[] fields = Files.readString(keys.publicKey()).strip().split(" ");
        return KeyUtils.getFingerPrint(PublicKeyEntry.parsePublicKeyEntry(fields[0] + " " + fields[1])
                .resolvePublicKey(null, null, null));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
