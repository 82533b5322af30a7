package org.r1wb.pipeline.cache;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.r1wb.pipeline.Document;

/** Reads a node cache's {@code .docs} file (format in {@link PortValues}) one document at a time. */
public final class DocumentFileReader implements Closeable {

    private final Path file;
    private final DataInputStream in;
    private final int count;
    private int read;

    public DocumentFileReader(Path file) throws IOException {
        this.file = file;
        this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            if (in.readInt() != DocumentFileWriter.MAGIC || in.readInt() != DocumentFileWriter.VERSION) {
                throw new IOException(file + ": not a document cache file of version " + DocumentFileWriter.VERSION);
            }
            this.count = in.readInt();
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** How many documents the file holds. */
    public int count() {
        return count;
    }

    /** The next document, or null after the last. */
    public Document next() throws IOException {
        if (read == count) {
            return null;
        }
        String id = readString();
        String text = readString();
        String source = readString();
        int fields = in.readInt();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int f = 0; f < fields; f++) {
            metadata.put(readString(), readString());
        }
        read++;
        return new Document(id, text, source, metadata);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private String readString() throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException(file + ": damaged (negative length after document " + read + ")");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
