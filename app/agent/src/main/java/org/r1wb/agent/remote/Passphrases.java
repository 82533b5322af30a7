package org.r1wb.agent.remote;

import java.nio.file.Path;

/**
 * Supplies the passphrase of an encrypted private key when it is needed, from the user or a keychain. The
 * caller clears the returned array after use; passphrases are never stored by the agent.
 */
@FunctionalInterface
public interface Passphrases {

    /** The passphrase of {@code keyFile}, or {@code null} to give up. */
    char[] passphrase(Path keyFile);

    /** For keys without a passphrase. */
    Passphrases NONE = keyFile -> null;
}
