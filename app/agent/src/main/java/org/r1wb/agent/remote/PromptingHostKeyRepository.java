package org.r1wb.agent.remote;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

/**
 * JSch's {@code known_hosts} with a {@link HostKeyPrompt} for hosts it does not list: an accepted key is
 * appended to the file, a refused one stays unknown (so JSch, with {@code StrictHostKeyChecking=yes}, fails).
 * A changed key is reported as changed, never prompted.
 */
final class PromptingHostKeyRepository implements HostKeyRepository {

    private final HostKeyRepository knownHosts;
    private final HostKeyPrompt prompt;
    private final JSch jsch;

    PromptingHostKeyRepository(HostKeyRepository knownHosts, HostKeyPrompt prompt, JSch jsch) {
        this.knownHosts = knownHosts;
        this.prompt = prompt;
        this.jsch = jsch;
    }

    @Override
    public int check(String host, byte[] key) {
        int result = knownHosts.check(host, key);
        if (result != NOT_INCLUDED) {
            return result;
        }
        try {
            HostKey hostKey = new HostKey(host, key);
            if (prompt.accept(host, hostKey.getType(), hostKey.getFingerPrint(jsch))) {
                knownHosts.add(hostKey, null);
                return OK;
            }
        } catch (JSchException e) {
            // a key type JSch cannot read: leave it unknown, the connection is refused
        }
        return NOT_INCLUDED;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        knownHosts.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
        knownHosts.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        knownHosts.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return knownHosts.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return knownHosts.getHostKey(host, type);
    }
}
