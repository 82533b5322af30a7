package org.r1wb.workbench.run;

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
 * Reads a run's {@code events.jsonl} incrementally: each {@link #readNew()} returns only the complete
 * events appended since the previous call.
 *
 * <p>Same rules as {@link EventJournal#readAfter}, but it remembers the byte offset it has consumed,
 * so tailing a long journal costs the new bytes, not the whole file, twice a second. A line without
 * its newline is still being written and is left for the next call. A complete line that is not an
 * event stops the reader for good, with {@code file:line} in the batch's problem.
 */
public final class JournalReader {

    /** Bytes read per call at most; a bigger backlog is read over several calls. */
    private static final int MAX_READ = 64 << 20;
    private static final int SHOWN_CHARS = 80;

    private final Path file;
    private long offset;
    private long linesRead;
    private long lastSeq;
    private String problem;

    public JournalReader(Path file) {
        this.file = file;
    }

    /** The journal file. */
    public Path file() {
        return file;
    }

    /** The seq of the last event returned, 0 before any. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The complete events appended since the last call; a missing file reads as empty. */
    public synchronized JournalBatch readNew() throws IOException {
        List<RunEvent> events = new ArrayList<>();
        if (problem != null || !Files.exists(file)) {
            return new JournalBatch(events, null);
        }
        long size = Files.size(file);
        if (size < offset) {
            // rewritten from scratch: read again from the top; the seq filter drops what we have seen
            offset = 0;
            linesRead = 0;
        }
        if (size == offset) {
            return new JournalBatch(events, null);
        }
        byte[] bytes = readRange(offset, (int) Math.min(size - offset, MAX_READ));
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            linesRead++;
            if (!line.isBlank()) {
                RunEvent event = EventJournal.parse(line);
                if (event == null) {
                    problem = file + ":" + linesRead + ": not a valid event: " + shorten(line);
                    return new JournalBatch(events, problem);
                }
                if (event.seq() > lastSeq) {
                    events.add(event);
                    lastSeq = event.seq();
                }
            }
            offset += i + 1 - start;
            start = i + 1;
        }
        return new JournalBatch(events, null);
    }

    private byte[] readRange(long from, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, from + buffer.position()) < 0) {
                    break;
                }
            }
        }
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String shorten(String line) {
        return line.length() <= SHOWN_CHARS ? line : line.substring(0, SHOWN_CHARS) + "…";
    }
}
