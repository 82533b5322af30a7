package org.r1wb.agent.remote;

import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;

import java.util.Vector;

/**
 * The keys a node with both a key file and {@code useAgent} offers: the file's first, then the ssh-agent's. JSch
 * knows one identity repository at a time, and adding a key file while the agent's is set would load the
 * decrypted private key into the user's agent; this view reads both and writes to neither.
 */
final class KeyFileAndAgentIdentities implements IdentityRepository {

    private final IdentityRepository keyFile;
    private final IdentityRepository agent;

    KeyFileAndAgentIdentities(IdentityRepository keyFile, IdentityRepository agent) {
        this.keyFile = keyFile;
        this.agent = agent;
    }

    @Override
    public String getName() {
        return "key file and ssh-agent";
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    public Vector<Identity> getIdentities() {
        Vector<Identity> identities = new Vector<>(keyFile.getIdentities());
        identities.addAll(agent.getIdentities());
        return identities;
    }

    @Override
    public boolean add(byte[] identity) {
        return false;
    }

    @Override
    public boolean remove(byte[] blob) {
        return false;
    }

    @Override
    public void removeAll() {
        // never empty the user's agent
    }
}
