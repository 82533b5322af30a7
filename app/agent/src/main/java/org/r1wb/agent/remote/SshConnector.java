package org.r1wb.agent.remote;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Opens SSH sessions to {@link NodeSpec nodes} with JSch, public keys only, host keys checked against a
 * {@code known_hosts} file ({@code StrictHostKeyChecking=yes}): an unknown host goes to the
 * {@link HostKeyPrompt}, a changed key is refused. Every failure becomes a {@link RemoteException} whose
 * message says what to do.
 */
public final class SshConnector {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Keep-alives find a silently dead link (a laptop that slept, a NAT that forgot) within ~6 s. */
    private static final int ALIVE_INTERVAL_MS = 2000;
    private static final int ALIVE_COUNT_MAX = 3;

    private final Path knownHosts;
    private final HostKeyPrompt prompt;
    private final Passphrases passphrases;
    private final Function<String, NodeSpec> jumpNodes;
    private final Path agentSocket;

    /**
     * @param knownHosts  the known_hosts file to check and extend (created when absent)
     * @param prompt      asked about hosts the file does not list
     * @param passphrases asked for the passphrase of an encrypted key
     * @param jumpNodes   resolves a node's {@code jump} name to its spec (the workspace's {@link NodeList})
     */
    public SshConnector(Path knownHosts, HostKeyPrompt prompt, Passphrases passphrases,
                        Function<String, NodeSpec> jumpNodes) {
        this(knownHosts, prompt, passphrases, jumpNodes, null);
    }

    private SshConnector(Path knownHosts, HostKeyPrompt prompt, Passphrases passphrases,
                         Function<String, NodeSpec> jumpNodes, Path agentSocket) {
        this.knownHosts = knownHosts;
        this.prompt = prompt;
        this.passphrases = passphrases;
        this.jumpNodes = jumpNodes;
        this.agentSocket = agentSocket;
    }

    /**
     * This connector talking to the ssh-agent at {@code socket} for nodes with {@code useAgent}, instead of the one
     * named by {@code SSH_AUTH_SOCK}: for a workbench started outside the login session that runs the agent.
     */
    public SshConnector withAgentSocket(Path socket) {
        return new SshConnector(knownHosts, prompt, passphrases, jumpNodes, socket);
    }

    /** A connector for nodes without jump hosts. */
    public SshConnector(Path knownHosts, HostKeyPrompt prompt, Passphrases passphrases) {
        this(knownHosts, prompt, passphrases, name -> null);
    }

    /** Connects to {@code node}, through its jump node when it names one. */
    public SshSession open(NodeSpec node) throws RemoteException {
        if (node.jump() == null) {
            return new SshSession(node, connect(node, node.host(), node.port()), null);
        }
        NodeSpec jump = jumpNodes.apply(node.jump());
        if (jump == null) {
            throw RemoteException.refused("node '" + node.name() + "' hops through '" + node.jump()
                    + "', which is not in the node list; add it or remove the jump");
        }
        Session hop = connect(jump, jump.host(), jump.port());
        try {
            int localPort = hop.setPortForwardingL("127.0.0.1", 0, node.host(), node.port());
            return new SshSession(node, connect(node, "127.0.0.1", localPort), hop);
        } catch (JSchException e) {
            hop.disconnect();
            throw new RemoteException("cannot forward through " + jump.address() + " to " + node.address() + ": "
                    + e.getMessage(), true, e);
        } catch (RemoteException e) {
            hop.disconnect();
            throw e;
        }
    }

    private Session connect(NodeSpec node, String host, int port) throws RemoteException {
        JSch jsch = new JSch();
        AuthenticationWatch watch = new AuthenticationWatch();
        jsch.setInstanceLogger(watch);
        Session session;
        try {
            Files.createDirectories(knownHosts.toAbsolutePath().getParent());
            if (!Files.exists(knownHosts)) {
                Files.createFile(knownHosts);
            }
            jsch.setKnownHosts(knownHosts.toString());
            jsch.setHostKeyRepository(new PromptingHostKeyRepository(jsch.getHostKeyRepository(), prompt, jsch));
            addIdentities(jsch, node);
            session = jsch.getSession(node.user(), host, port);
            if (!host.equals(node.host()) || port != node.port()) {
                session.setHostKeyAlias(knownHostsName(node.host(), node.port()));
            }
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setServerAliveInterval(ALIVE_INTERVAL_MS);
            session.setServerAliveCountMax(ALIVE_COUNT_MAX);
        } catch (JSchException | IOException e) {
            throw RemoteException.refused("cannot prepare the SSH connection to " + node.address() + ": " + e.getMessage());
        }
        try {
            session.connect((int) CONNECT_TIMEOUT.toMillis());
            return session;
        } catch (JSchChangedHostKeyException e) {
            throw RemoteException.refused("the host key of " + knownHostsName(node.host(), node.port())
                    + " has CHANGED since it was stored in " + knownHosts + ". Refusing to connect: someone may be "
                    + "intercepting the connection, or the node was reinstalled. If you know the new key is right, "
                    + "remove the old one (ssh-keygen -R '" + knownHostsName(node.host(), node.port()) + "' -f "
                    + knownHosts + ") and connect again to be asked about the new fingerprint.");
        } catch (JSchUnknownHostKeyException e) {
            throw RemoteException.refused("the host key of " + knownHostsName(node.host(), node.port())
                    + " is not in " + knownHosts + " and was not accepted; connect again and accept its fingerprint "
                    + "if it matches the node's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the node)");
        } catch (JSchException e) {
            throw classify(node, e, watch);
        }
    }

    /** The node's key file, its ssh-agent, or both (the file's key offered first). */
    private void addIdentities(JSch jsch, NodeSpec node) throws JSchException {
        boolean hasKeyFile = node.identityFile() != null && !node.identityFile().isBlank();
        if (hasKeyFile) {
            addKeyFile(jsch, node);
        }
        if (node.useAgent()) {
            IdentityRepository agent = new AgentIdentityRepository(agent(node));
            // the file's key stays in JSch's own repository: adding it with the agent's set would load it into the agent
            jsch.setIdentityRepository(hasKeyFile ? new KeyFileAndAgentIdentities(jsch.getIdentityRepository(), agent) : agent);
        }
    }

    private SSHAgentConnector agent(NodeSpec node) throws JSchException {
        try {
            SSHAgentConnector agent = agentSocket != null ? new SSHAgentConnector(agentSocket) : new SSHAgentConnector();
            if (!agent.isAvailable()) {
                throw new AgentProxyException("nothing answers at " + (agentSocket != null ? agentSocket
                        : "SSH_AUTH_SOCK=" + System.getenv("SSH_AUTH_SOCK")));
            }
            return agent;
        } catch (AgentProxyException e) {
            throw new JSchException("node '" + node.name() + "' uses the ssh-agent, but no ssh-agent is reachable "
                    + "(start one with ssh-agent and ssh-add the node's key, and set SSH_AUTH_SOCK): " + e.getMessage(), e);
        }
    }

    private void addKeyFile(JSch jsch, NodeSpec node) throws JSchException {
        Path key = Path.of(node.identityFile());
        if (!Files.isReadable(key)) {
            throw new JSchException("the key file " + key + " of node '" + node.name() + "' does not exist or is not readable");
        }
        KeyPair probe = KeyPair.load(jsch, key.toString());
        boolean encrypted = probe.isEncrypted();
        probe.dispose();
        if (!encrypted) {
            jsch.addIdentity(key.toString());
            return;
        }
        char[] passphrase = passphrases.passphrase(key);
        if (passphrase == null) {
            throw new JSchException("the key file " + key + " is encrypted and no passphrase was given");
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            jsch.addIdentity(key.toString(), bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(encoded.array(), (byte) 0);
            Arrays.fill(passphrase, '\0');
        }
    }

    private RemoteException classify(NodeSpec node, JSchException e, AuthenticationWatch watch) {
        Throwable cause = e.getCause();
        String message = String.valueOf(e.getMessage());
        if (watch.linkFailed()) {
            // JSch reports a link that dropped mid-authentication as "Auth fail"; it is the link, not the key
            return new RemoteException("the link to " + node.address() + " dropped during authentication ("
                    + watch.failure() + ")", true, e);
        }
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel") || message.startsWith("USERAUTH fail")) {
            return RemoteException.refused(node.address() + " refused the key "
                    + (node.identityFile() == null ? "of the ssh-agent"
                    : node.identityFile() + (node.useAgent() ? " and those of the ssh-agent" : ""))
                    + " (public-key authentication failed): add the matching public key to ~" + node.user()
                    + "/.ssh/authorized_keys on the node, or check the node's user, key file and passphrase");
        }
        if (cause instanceof UnknownHostException) {
            return RemoteException.refused("unknown host '" + node.host() + "' of node '" + node.name()
                    + "': check the host name or the DNS");
        }
        if (e instanceof JSchAlgoNegoFailException) {
            return RemoteException.refused(node.address() + " offers no key exchange, cipher or key type this client "
                    + "accepts: " + message);
        }
        // anything else (refused, reset, timed out, closed mid-handshake) is the link: worth another try
        return new RemoteException("cannot connect to " + node.address() + ": " + message
                + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), true, e);
    }

    /**
     * Listens to JSch's warnings for the one that tells a link failure during authentication apart from a key
     * the server refused: both end in the same "Auth fail" exception. Nothing else JSch says is kept.
     */
    private static final class AuthenticationWatch implements com.jcraft.jsch.Logger {
        private static final String LINK_FAILED = "an exception during authentication";
        private volatile String failure;

        @Override
        public boolean isEnabled(int level) {
            return level >= WARN;
        }

        @Override
        public void log(int level, String message) {
            if (message != null && message.startsWith(LINK_FAILED)) {
                failure = message.substring(LINK_FAILED.length()).strip();
            }
        }

        boolean linkFailed() {
            return failure != null;
        }

        String failure() {
            return failure;
        }
    }

    /** How known_hosts names a host: plain on port 22, {@code [host]:port} otherwise. */
    public static String knownHostsName(String host, int port) {
        return port == NodeSpec.DEFAULT_PORT ? host : "[" + host + "]:" + port;
    }
}
