package org.r1wb.pipeline.bpe;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * GPT-2's reversible byte ↔ character mapping: every byte gets a visible character, so tokens are plain strings
 * (printable Latin-1 bytes map to themselves, the rest to U+0100 onwards in byte order; the space becomes 'Ġ').
 */
final class ByteLevel {

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 256];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean visible = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = visible ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    static char toChar(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte-level string of {@code bytes}. */
    static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** The bytes behind a byte-level string; fails on a character outside the mapping. */
    static byte[] decode(String token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("token '" + token + "' has character U+"
                        + String.format("%04X", (int) c) + " outside the byte-level alphabet");
            }
            out.write(b);
        }
        return out.toByteArray();
    }
}
