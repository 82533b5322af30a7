package org.r1wb.workbench.editor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of a file as far as an editor shows it.
 *
 * @param text      the first {@code limit} bytes, decoded as UTF-8
 * @param size      the file's size in bytes
 * @param truncated whether {@code text} stops before the end of the file
 */
public record FileContent(String text, long size, boolean truncated) {

    /** Reads at most {@code limit} bytes of {@code file}. */
    public static FileContent read(Path file, int limit) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit);
            return new FileContent(new String(bytes, StandardCharsets.UTF_8), size, size > bytes.length);
        }
    }
}
