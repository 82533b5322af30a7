package org.r1wb.agent.remote;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node reached through a jump node (OpenSSH's ProxyJump): two MINA servers, only the jump forwards TCP. */
class JumpHostTest {

    @Test
    void aNodeBehindAJumpHostIsReachedThroughItWithItsOwnHostKeyChecked(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp, "id");
        List<String> forwarded = new CopyOnWriteArrayList<>();
        try (MinaNode jumpServer = new MinaNode(tmp.resolve("jump-hostkey"), keys.authorizedKeys(), null)
                .allowForwarding(forwarded).start();
             MinaNode targetServer = new MinaNode(tmp.resolve("target-hostkey"), keys.authorizedKeys(), null).start()) {
            NodeSpec jump = NodeSpec.of("bastion", "127.0.0.1", jumpServer.port(), "me", keys.privateKey().toString());
            NodeSpec target = NodeSpec.of("gpu", "127.0.0.1", targetServer.port(), "me", keys.privateKey().toString())
                    .withJump("bastion");
            Map<String, NodeSpec> nodes = Map.of("bastion", jump, "gpu", target);
            List<String> prompted = new ArrayList<>();
            Path knownHosts = tmp.resolve("known_hosts");
            SshConnector connector = new SshConnector(knownHosts, (host, type, fingerprint) -> {
                prompted.add(host + " " + fingerprint);
                return true;
            }, Passphrases.NONE, nodes::get);

            try (SshSession ssh = connector.open(target)) {
                assertThat(ssh.exec("echo through").stdout()).isEqualTo("through\n");
            }

            assertThat(forwarded).as("the jump server was asked to forward to the target's port")
                    .containsExactly("127.0.0.1:" + targetServer.port());
            String targetName = SshConnector.knownHostsName("127.0.0.1", targetServer.port());
            String jumpName = SshConnector.knownHostsName("127.0.0.1", jumpServer.port());
            assertThat(prompted).as("each host's key, under its own name, not the forward's local port").containsExactly(
                    jumpName + " " + fingerprint(tmp.resolve("jump-hostkey")),
                    targetName + " " + fingerprint(tmp.resolve("target-hostkey")));
            assertThat(Files.readAllLines(knownHosts)).extracting(line -> line.split(" ")[0])
                    .containsExactlyInAnyOrder(jumpName, targetName);

            try (SshSession ssh = connector.open(target)) {
                assertThat(ssh.isConnected()).isTrue();
            }
            assertThat(prompted).as("both keys known now").hasSize(2);
            assertThat(forwarded).hasSize(2);

            NodeSpec orphan = target.withJump("nowhere");
            assertThatThrownBy(() -> connector.open(orphan)).isInstanceOfSatisfying(RemoteException.class, e -> {
                assertThat(e.isTransient()).isFalse();
                assertThat(e.getMessage()).contains("'nowhere'").contains("not in the node list");
            });
        }
    }

    @Test
    void aTargetWhoseKeyChangedIsRefusedEvenThroughTheJump(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp, "id");
        List<String> forwarded = new CopyOnWriteArrayList<>();
        try (MinaNode jumpServer = new MinaNode(tmp.resolve("jump-hostkey"), keys.authorizedKeys(), null)
                .allowForwarding(forwarded).start();
             MinaNode targetServer = new MinaNode(tmp.resolve("target-hostkey"), keys.authorizedKeys(), null).start()) {
            NodeSpec jump = NodeSpec.of("bastion", "127.0.0.1", jumpServer.port(), "me", keys.privateKey().toString());
            NodeSpec target = NodeSpec.of("gpu", "127.0.0.1", targetServer.port(), "me", keys.privateKey().toString())
                    .withJump("bastion");
            Path knownHosts = tmp.resolve("known_hosts");
            // the jump's key stored under the target's name: what a man in the middle at the target's address looks like
            String jumpKey = Files.readAllLines(knownHostsAfter(tmp, jump)).get(0);
            Files.writeString(knownHosts, jumpKey + "\n" + SshConnector.knownHostsName("127.0.0.1", targetServer.port())
                    + jumpKey.substring(jumpKey.indexOf(' ')) + "\n");
            SshConnector connector = new SshConnector(knownHosts, (h, t, f) -> true, Passphrases.NONE,
                    Map.of("bastion", jump)::get);

            assertThatThrownBy(() -> connector.open(target)).isInstanceOfSatisfying(RemoteException.class, e -> {
                assertThat(e.isTransient()).isFalse();
                assertThat(e.getMessage()).contains("has CHANGED")
                        .contains(SshConnector.knownHostsName("127.0.0.1", targetServer.port()));
            });
            assertThat(forwarded).as("the refusal came from the target behind the jump").hasSize(1);
        }
    }

    /** The known_hosts file after accepting {@code node} directly. */
    private static Path knownHostsAfter(Path tmp, NodeSpec node) throws Exception {
        Path file = tmp.resolve("direct_known_hosts");
        try (SshSession ssh = new SshConnector(file, (h, t, f) -> true, Passphrases.NONE).open(node)) {
            assertThat(ssh.isConnected()).isTrue();
        }
        return file;
    }

    private static String fingerprint(Path hostKey) throws Exception {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(hostKey);
        provider.setAlgorithm("EC");
        PublicKey key = provider.loadKeys(null).iterator().next().getPublic();
        return KeyUtils.getFingerPrint(key);
    }
}
