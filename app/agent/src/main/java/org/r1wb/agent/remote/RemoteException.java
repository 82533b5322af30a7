package org.r1wb.agent.remote;

import java.io.IOException;

/**
 * A remote operation failed; the message says what happened on which node and what to do. {@link #isTransient}
 * tells a dropped link (worth reconnecting) from a refusal (host key, authentication, no Java, full disk).
 */
public final class RemoteException extends IOException {

    private final boolean transientFailure;

    public RemoteException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** A refusal: retrying will fail the same way until someone changes something. */
    public static RemoteException refused(String message) {
        return new RemoteException(message, false, null);
    }

    /** True when the link failed and a reconnect may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
