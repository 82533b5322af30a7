package org.r1wb.agent.remote;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.forward.AgentForwardingFilter;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.X11ForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An embedded Apache MINA SSHD server that runs each exec request through {@code /bin/sh -c} on this machine,
 * as this user: a node in every {@code mvn verify}. Stops and restarts on the same port and host key.
 */
final class MinaNode implements AutoCloseable {

    private final Path hostKey;
    private final Path authorizedKeys;
    private final String path;
    private SshServer server;
    private int port;
    private List<String> forwards;

    /**
     * @param path the PATH of the node's shell, or {@code null} for this process's
     */
    MinaNode(Path hostKey, Path authorizedKeys, String path) {
        this.hostKey = hostKey;
        this.authorizedKeys = authorizedKeys;
        this.path = path;
    }

    /**
     * Lets clients open TCP forwards through this node (a jump host), recording each target as {@code host:port}
     * in {@code seen}; nodes refuse forwarding otherwise. Call before {@link #start()}.
     */
    MinaNode allowForwarding(List<String> seen) {
        forwards = seen;
        return this;
    }

    MinaNode start() throws IOException {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKey);
        keys.setAlgorithm("EC");
        server.setKeyPairProvider(keys);
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) -> {
            String line = path == null ? command : "PATH='" + path + "'; export PATH; " + command;
            return new ProcessShellFactory(line, List.of("/bin/sh", "-c", line)).createShell(channel);
        });
        if (forwards != null) {
            server.setForwardingFilter(ForwardingFilter.asForwardingFilter(AgentForwardingFilter.of(false), X11ForwardingFilter.of(false), new TcpForwardingFilter() {
                @Override
                public boolean canListen(SshdSocketAddress address, Session session) {
                    return false;
                }

                @Override
                public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                    forwards.add(address.getHostName() + ":" + address.getPort());
                    return type == Type.Direct;
                }
            }));
        }
        server.start();
        port = server.getPort();
        return this;
    }

    /** Starts on a given port (a node reinstalled at the same address). */
    MinaNode startOn(int fixedPort) throws IOException {
        port = fixedPort;
        return start();
    }

    int port() {
        return port;
    }

    /** Stops the server, dropping every session at once. */
    void stop() throws IOException {
        server.stop(true);
    }

    /** Closes every open session's socket, leaving the server listening. */
    int closeSessions() {
        var sessions = server.getActiveSessions();
        sessions.forEach(s -> s.close(true));
        return sessions.size();
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.stop(true);
        }
    }
}
