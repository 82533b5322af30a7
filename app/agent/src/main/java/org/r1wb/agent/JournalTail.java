package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a growing journal from where it last stopped, so following a long run costs only the new bytes. A last
 * line without its newline (still being written, or torn by a crash) is left for the next read.
 */
final class JournalTail {

    private final Path file;
    private long offset;

    JournalTail(Path file) {
        this.file = file;
    }

    /** The complete events appended since the last call. */
    List<RunEvent> next() throws IOException {
        List<RunEvent> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) {
                return events;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // keep reading until the buffer is full or the file ends
            }
            bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                RunEvent event = EventJournal.parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                if (event == null) {
                    break;
                }
                events.add(event);
                start = i + 1;
            }
        }
        offset += start;
        return events;
    }
}
