package org.r1wb.model.generate;

/**
 * A continuation and why it ended.
 *
 * @param tokens the new ids (a stop id excluded; the tokens that completed a stop string included)
 * @param text   the decoded continuation cut before a stop string, or {@code null} without a decoder
 * @param reason why generation stopped
 * @param stopId the stop id that ended it, or −1
 */
public record Generation(int[] tokens, String text, StopReason reason, int stopId) {

    /** A continuation that no stop id ended. */
    public Generation(int[] tokens, String text, StopReason reason) {
        this(tokens, text, reason, -1);
    }

    /** Why generation stopped. */
    public enum StopReason {
        /** {@code maxNewTokens} were produced. */
        LENGTH,
        /** A stop id came next. */
        STOP_ID,
        /** The continuation contains a stop string. */
        STOP_STRING
    }
}
