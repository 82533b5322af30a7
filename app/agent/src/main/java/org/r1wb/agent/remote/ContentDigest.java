package org.r1wb.agent.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 digests of files and of file sets ({@code name → file}). A file's digest is remembered by its
 * path, size and modification time, so re-checking a 100 MB jar before each launch costs nothing.
 */
final class ContentDigest {

    private record Stamp(Path path, long size, FileTime modified) { }

    private static final Map<Stamp, String> FILES = new ConcurrentHashMap<>();

    private ContentDigest() {
    }

    /** The digest of a set of files: it changes when a name or a content changes, not when the order does. */
    static String of(Map<String, Path> files) throws IOException {
        MessageDigest digest = sha256();
        for (Map.Entry<String, Path> file : new TreeMap<>(files).entrySet()) {
            digest.update((file.getKey() + "\0" + of(file.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The digest of one file's content. */
    static String of(Path file) throws IOException {
        Stamp stamp = new Stamp(file.toAbsolutePath().normalize(), Files.size(file), Files.getLastModifiedTime(file));
        String known = FILES.get(stamp);
        if (known != null) {
            return known;
        }
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        String hex = HexFormat.of().formatHex(digest.digest());
        FILES.put(stamp, hex);
        return hex;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
