package org.r1wb.agent.remote;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What goes wrong with nodes, and what the user is told: host keys, user keys, Java, a full disk. */
class RemoteFaultsTest {

    @Test
    void anUnknownHostIsPromptedWithItsFingerprintAndAChangedKeyIsRefused(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp, "id");
        Path hostKey = tmp.resolve("hostkey");
        Path knownHosts = tmp.resolve("known_hosts");
        List<String> asked = new ArrayList<>();
        try (MinaNode server = new MinaNode(hostKey, keys.authorizedKeys(), null).start()) {
            NodeSpec node = NodeSpec.of("n", "127.0.0.1", server.port(), "me", keys.privateKey().toString());
            PublicKey hostPublic = hostPublicKey(hostKey);
            String expected = KeyUtils.getKeyType(hostPublic) + " " + KeyUtils.getFingerPrint(hostPublic);

            SshConnector refusing = new SshConnector(knownHosts, (host, type, fp) -> {
                asked.add(host + " " + type + " " + fp);
                return false;
            }, Passphrases.NONE);
            assertThatThrownBy(() -> refusing.open(node)).isInstanceOfSatisfying(RemoteException.class, e -> {
                assertThat(e.isTransient()).isFalse();
                assertThat(e.getMessage()).contains("is not in").contains("not accepted");
            });
            assertThat(asked).containsExactly("[127.0.0.1]:" + server.port() + " " + expected);
            assertThat(Files.readString(knownHosts)).isEmpty();

            SshConnector accepting = new SshConnector(knownHosts, (host, type, fp) -> asked.add(fp), Passphrases.NONE);
            try (SshSession ssh = accepting.open(node)) {
                assertThat(ssh.exec("echo hello").stdout()).isEqualTo("hello\n");
            }
            assertThat(Files.readAllLines(knownHosts)).hasSize(1);
            try (SshSession ssh = accepting.open(node)) {
                assertThat(ssh.isConnected()).isTrue();
            }
            assertThat(asked).as("a known host is not asked about again").hasSize(2);
            server.stop();

            Files.delete(hostKey);
            try (MinaNode reinstalled = new MinaNode(hostKey, keys.authorizedKeys(), null)) {
                reinstalled.startOn(server.port());
                assertThatThrownBy(() -> accepting.open(node)).isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("has CHANGED").contains("ssh-keygen -R");
                });
                assertThat(asked).as("a changed key is never offered to the prompt").hasSize(2);
            }
        }
    }

    @Test
    void aWrongUserKeyAndANodeWithoutJavaGetClearErrors(@TempDir Path tmp) throws Exception {
        TestKeys authorized = TestKeys.create(tmp, "good");
        TestKeys stranger = TestKeys.create(tmp, "stranger");
        Path emptyBin = Files.createDirectories(tmp.resolve("empty-bin"));
        try (MinaNode server = new MinaNode(tmp.resolve("hostkey"), authorized.authorizedKeys(), emptyBin.toString()).start()) {
            SshConnector connector = new SshConnector(tmp.resolve("known_hosts"), (h, t, f) -> true, Passphrases.NONE);

            NodeSpec wrongKey = NodeSpec.of("n", "127.0.0.1", server.port(), "me", stranger.privateKey().toString());
            assertThatThrownBy(() -> connector.open(wrongKey)).isInstanceOfSatisfying(RemoteException.class, e -> {
                assertThat(e.isTransient()).isFalse();
                assertThat(e.getMessage()).contains("refused the key " + stranger.privateKey()).contains("authorized_keys");
            });

            NodeSpec node = NodeSpec.of("n", "127.0.0.1", server.port(), "me", authorized.privateKey().toString());
            try (SshSession ssh = connector.open(node)) {
                assertThatThrownBy(() -> new RemoteNode(ssh).checkJava()).isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("no usable Java").contains("was not found").contains("JDK 17");
                });
            }
        }
    }

    @Test
    void aFullDiskFailsTheUploadClearlyAndLeavesNothingTrusted(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("node-home"));
        Assumptions.assumeTrue(mount(home, "512k"), "skipped: cannot mount a small tmpfs (needs root) to fill a disk");
        try {
            TestKeys keys = TestKeys.create(tmp, "id");
            byte[] big = new byte[2 << 20];
            new Random(3).nextBytes(big);
            Path bigJar = Files.write(tmp.resolve("big.jar"), big);
            Path smallJar = Files.write(tmp.resolve("small.jar"), new byte[] {1, 2, 3});
            try (MinaNode server = new MinaNode(tmp.resolve("hostkey"), keys.authorizedKeys(), null).start()) {
                SshConnector connector = new SshConnector(tmp.resolve("known_hosts"), (h, t, f) -> true, Passphrases.NONE);
                NodeSpec node = NodeSpec.of("n", "127.0.0.1", server.port(), "me", keys.privateKey().toString())
                        .withRemoteDir(home.toString());
                Distribution tooBig = Distribution.of(List.of(smallJar, bigJar));
                try (SshSession ssh = connector.open(node)) {
                    RemoteNode remote = new RemoteNode(ssh);
                    assertThatThrownBy(() -> remote.ensureDistribution(tooBig)).isInstanceOfSatisfying(RemoteException.class, e ->
                            assertThat(e.getMessage()).contains("big.jar").contains("disk is full").contains("never used"));
                    try (Stream<Path> dist = Files.list(home.resolve("dist"))) {
                        assertThat(dist).as("no partial upload left, none under the digest's name").isEmpty();
                    }

                    Distribution fits = Distribution.of(List.of(smallJar));
                    RemoteNode.Upload upload = remote.ensureDistribution(fits);
                    assertThat(upload.transferred()).isTrue();
                    assertThat(Path.of(upload.path(), "lib", "small.jar")).hasBinaryContent(new byte[] {1, 2, 3});
                    assertThat(Path.of(upload.path(), RemoteNode.COMPLETE)).exists();
                }
            }
        } finally {
            new ProcessBuilder("umount", home.toString()).start().waitFor();
        }
    }

    private static boolean mount(Path dir, String size) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        mount.getInputStream().readAllBytes();
        return mount.waitFor() == 0;
    }

    private static PublicKey hostPublicKey(Path hostKey) throws Exception {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(hostKey);
        provider.setAlgorithm("EC");
        return provider.loadKeys(null).iterator().next().getPublic();
    }
}
