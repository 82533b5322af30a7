package org.r1wb.model.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for cache keys. */
public final class Digests {

    private Digests() {
    }

    /** A fresh SHA-256 digest (always available on a JDK). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Hex SHA-256 of the ids, as little-endian int32s. */
    public static String sha256(int[][] rows) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[4];
        for (int[] row : rows) {
            for (int id : row) {
                buffer[0] = (byte) id;
                buffer[1] = (byte) (id >>> 8);
                buffer[2] = (byte) (id >>> 16);
                buffer[3] = (byte) (id >>> 24);
                digest.update(buffer);
            }
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
