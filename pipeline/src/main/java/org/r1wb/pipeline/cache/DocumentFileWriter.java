package org.r1wb.pipeline.cache;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.r1wb.pipeline.Document;

/**
 * Writes documents one by one into a node cache's {@code .docs} file (format in {@link PortValues}); the count in the
 * header is filled in by {@link #close}, so a stream of unknown length writes the same bytes as a whole batch.
 */
public final class DocumentFileWriter implements Closeable {

    static final int MAGIC = 0x52317744; // "R1wD"
    static final int VERSION = 1;
    private static final long COUNT_OFFSET = 8;

    private final FileChannel channel;
    private final DataOutputStream out;
    private int count;

    /** Creates {@code file} (which must not exist). */
    public DocumentFileWriter(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(0);
    }

    /** Appends one document. */
    public void write(Document d) throws IOException {
        writeString(d.id());
        writeString(d.text());
        writeString(d.source());
        out.writeInt(d.metadata().size());
        for (Map.Entry<String, String> e : d.metadata().entrySet()) {
            writeString(e.getKey());
            writeString(e.getValue());
        }
        count++;
    }

    /** Documents written so far. */
    public int count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            out.flush();
            channel.write(ByteBuffer.allocate(Integer.BYTES).putInt(count).flip(), COUNT_OFFSET);
        }
    }

    private void writeString(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
