package org.r1wb.workbench.run;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A node for workbench tests: an embedded Apache MINA SSHD server on 127.0.0.1 that runs each command through
 * {@code /bin/sh -c} as this user, a user key it trusts, and a {@link TinyWorkspace} whose {@code nodes.json} names
 * the node {@code gpu1}.
 */
final class SshTestNode implements AutoCloseable {

    static final String NAME = "gpu1";

    final Path workspace;
    final Path nodeHome;
    final Path knownHosts;
    private final Path hostKey;
    private final SshServer server;

    private SshTestNode(Path workspace, Path nodeHome, Path knownHosts, Path hostKey, SshServer server) {
        this.workspace = workspace;
        this.nodeHome = nodeHome;
        this.knownHosts = knownHosts;
        this.hostKey = hostKey;
        this.server = server;
    }

    static SshTestNode start(Path tmp) throws Exception {
        Path ws = tmp.resolve("workspace");
        TinyWorkspace.create(ws);

        Path keys = Files.createDirectories(tmp.resolve("keys"));
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
        ByteArrayOutputStream secret = new ByteArrayOutputStream();
        pair.writeOpenSSHv1PrivateKey(secret, null);
        Path key = keys.resolve("id_ed25519");
        Files.write(key, secret.toByteArray());
        ByteArrayOutputStream pub = new ByteArrayOutputStream();
        pair.writePublicKey(pub, "r1wb-test");
        Files.write(keys.resolve("authorized_keys"), pub.toByteArray());
        pair.dispose();

        Path hostKey = tmp.resolve("hostkey");
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKey);
        hostKeys.setAlgorithm("EC");
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(keys.resolve("authorized_keys")));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) -> new ProcessShellFactory(command, List.of("/bin/sh", "-c", command)).createShell(channel));
        server.start();
        Path nodeHome = tmp.resolve("node-home");
        new NodeList(List.of(new NodeSpec(NAME, "127.0.0.1", server.getPort(), System.getProperty("user.name"),
                key.toString(), false, null, nodeHome.toString(), null))).save(ws);
        return new SshTestNode(ws, nodeHome, tmp.resolve("known_hosts"), hostKey, server);
    }

    /** The host key's {@code SHA256:} fingerprint, computed from the server's own key file. */
    String fingerprint() throws Exception {
        return KeyUtils.getFingerPrint(new SimpleGeneratorHostKeyProvider(hostKey).loadKeys(null).iterator().next().getPublic());
    }

    /** The journal of run {@code id} on the node. */
    Path journalOnNode(String id) {
        return nodeHome.resolve("workspace/runs").resolve(id).resolve("events.jsonl");
    }

    @Override
    public void close() throws Exception {
        server.stop(true);
    }
}
