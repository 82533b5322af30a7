package org.r1wb.agent.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * A remote node as the workspace's {@code nodes.json} stores it. It names where the private key is, never
 * the key itself: no key material or passphrase is ever part of a node spec.
 *
 * @param name         the node's name in the workspace (unique)
 * @param host         DNS name or address
 * @param port         SSH port (22)
 * @param user         login user
 * @param identityFile path of the private key file on this machine; {@code null} to use the ssh-agent
 * @param useAgent     authenticate with the keys of the running ssh-agent ({@code SSH_AUTH_SOCK})
 * @param jump         name of another node to hop through (OpenSSH's ProxyJump); {@code null} for a direct link
 * @param remoteDir    the agent's folder on the node, absolute or relative to the login home ({@code .r1wb})
 * @param java         the java launcher on the node ({@code java}, found on the PATH of a non-interactive shell)
 */
public record NodeSpec(String name, String host, int port, String user, String identityFile, boolean useAgent,
                       String jump, String remoteDir, String java) {

    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_REMOTE_DIR = ".r1wb";
    public static final String DEFAULT_JAVA = "java";

    /** Fills the defaults of absent optional fields. */
    public NodeSpec {
        port = port == 0 ? DEFAULT_PORT : port;
        remoteDir = remoteDir == null || remoteDir.isBlank() ? DEFAULT_REMOTE_DIR : remoteDir;
        java = java == null || java.isBlank() ? DEFAULT_JAVA : java;
    }

    /** A direct node with a key file and the default remote folder and java. */
    public static NodeSpec of(String name, String host, int port, String user, String identityFile) {
        return new NodeSpec(name, host, port, user, identityFile, false, null, null, null);
    }

    /** This spec with another remote folder. */
    public NodeSpec withRemoteDir(String dir) {
        return new NodeSpec(name, host, port, user, identityFile, useAgent, jump, dir, java);
    }

    /** This spec with another java launcher. */
    public NodeSpec withJava(String launcher) {
        return new NodeSpec(name, host, port, user, identityFile, useAgent, jump, remoteDir, launcher);
    }

    /** This spec hopping through node {@code jumpNode}. */
    public NodeSpec withJump(String jumpNode) {
        return new NodeSpec(name, host, port, user, identityFile, useAgent, jumpNode, remoteDir, java);
    }

    /** {@code user@host:port}, for messages. */
    public String address() {
        return user + "@" + host + ":" + port;
    }

    /** Every problem of this spec, each with its field and a fix; empty when it is usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            problems.add("name: '" + name + "' must be letters, digits, '.', '_' or '-' (it names the node in nodes.json)");
        }
        if (host == null || host.isBlank()) {
            problems.add("host: missing; set the node's DNS name or address");
        }
        if (port < 1 || port > 65535) {
            problems.add("port: " + port + " is not a TCP port; use 1..65535 (22 by default)");
        }
        if (user == null || user.isBlank()) {
            problems.add("user: missing; set the login user on the node");
        }
        if ((identityFile == null || identityFile.isBlank()) && !useAgent) {
            problems.add("identityFile: no key file and useAgent is false; name a private key file or set useAgent");
        }
        if (jump != null && jump.equals(name)) {
            problems.add("jump: a node cannot hop through itself; name another node or remove jump");
        }
        return problems;
    }
}
