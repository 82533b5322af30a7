package org.r1wb.agent;

import org.r1wb.agent.remote.HostKeyPrompt;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.Passphrases;
import org.r1wb.agent.remote.SshConnector;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The SSH options every {@code r1wb remote} command shares, and the connector they make: host keys checked
 * against {@code known_hosts} (the user's own by default, so a host OpenSSH already trusts is trusted); an unknown
 * host is asked about on the terminal, or accepted only when its fingerprint equals {@code --accept-host-key}; an
 * encrypted key's passphrase is read from the terminal and never stored.
 */
public final class RemoteAccess {

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file to check and extend (default: ~/.ssh/known_hosts).")
    private Path knownHosts;

    @Option(names = "--accept-host-key", paramLabel = "SHA256:…", description = "Trust an unknown host only if its key "
            + "has this fingerprint (for scripts; compare with ssh-keygen -lf on the node).")
    private String acceptFingerprint;

    @Option(names = "--passphrase-stdin", description = "Read the key's passphrase from the first line of standard "
            + "input (how the workbench hands it over; it is kept in memory only).")
    private boolean passphraseStdin;

    private char[] stdinPassphrase;

    /** The connector for {@code nodes}, prompting through {@code err} and the terminal when there is one. */
    SshConnector connector(NodeList nodes, PrintWriter err) {
        Path file = knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return new SshConnector(file.toAbsolutePath(), prompt(err), passphrases(), name -> nodes.find(name).orElse(null));
    }

    /** The node named {@code name} in the workspace's node list, or a message naming the ones there are. */
    static NodeSpec node(NodeList nodes, String name, Path workspace) throws IOException {
        return nodes.find(name).orElseThrow(() -> new IOException("no node '" + name + "' in "
                + workspace.resolve(NodeList.FILE) + (nodes.nodes().isEmpty() ? " (it lists none)" : "; it lists: "
                + nodes.nodes().stream().map(NodeSpec::name).collect(Collectors.joining(", ")))));
    }

    private HostKeyPrompt prompt(PrintWriter err) {
        return (host, type, fingerprint) -> {
            if (acceptFingerprint != null) {
                boolean match = acceptFingerprint.strip().equals(fingerprint);
                if (!match) {
                    err.println("refusing " + host + ": its " + type + " key is " + fingerprint + ", not " + acceptFingerprint);
                }
                return match;
            }
            Console console = System.console();
            if (console == null) {
                err.println(host + " is not in known_hosts; its " + type + " key is " + fingerprint
                        + ". If that is the node's key, run again with --accept-host-key " + fingerprint);
                err.flush();
                return false;
            }
            String answer = console.readLine("The authenticity of %s can't be established.%n%s key fingerprint is %s.%n"
                    + "Trust it and add it to known_hosts (yes/no)? ", host, type, fingerprint);
            return answer != null && answer.strip().equalsIgnoreCase("yes");
        };
    }

    private Passphrases passphrases() {
        return keyFile -> {
            if (passphraseStdin) {
                return fromStdin();
            }
            Console console = System.console();
            return console == null ? null : console.readPassword("Passphrase for %s: ", keyFile);
        };
    }

    /** The passphrase read once from standard input; a copy each time, since the connector clears what it gets. */
    private synchronized char[] fromStdin() {
        if (stdinPassphrase == null) {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                stdinPassphrase = line == null ? new char[0] : line.toCharArray();
            } catch (IOException e) {
                stdinPassphrase = new char[0];
            }
        }
        return stdinPassphrase.length == 0 ? null : stdinPassphrase.clone();
    }
}
