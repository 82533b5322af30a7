package org.r1wb.agent.remote;

/**
 * Asks the user about a host key that {@code known_hosts} does not list yet. The workbench shows a dialog;
 * headless callers decide by policy. A key that differs from the stored one never reaches the prompt: it is
 * refused outright.
 */
@FunctionalInterface
public interface HostKeyPrompt {

    /**
     * @param host        the host as known_hosts names it ({@code [host]:port} for a port other than 22)
     * @param keyType     e.g. {@code ssh-ed25519}
     * @param fingerprint the key's {@code SHA256:…} fingerprint, to compare with the node's own
     * @return true to trust the key and store it in known_hosts
     */
    boolean accept(String host, String keyType, String fingerprint);

    /** Refuses every unknown host. */
    HostKeyPrompt REFUSE = (host, type, fingerprint) -> false;
}
