package org.r1wb.agent.remote;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A local copy of a node's journal, so that everything that reads run folders (the workbench's run views,
 * {@code r1wb runs}, evaluation) sees a remote run like a local one. Events are appended verbatim, seq by seq: one
 * that is not the next seq is ignored, so replays and overlaps change nothing. A torn last line left by a crash is
 * cut on open.
 */
public final class JournalMirror implements AutoCloseable {

    private final OutputStream out;
    private long lastSeq;

    private JournalMirror(OutputStream out, long lastSeq) {
        this.out = out;
        this.lastSeq = lastSeq;
    }

    /** Opens (creating) the mirror journal {@code file}. */
    public static JournalMirror open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file)) {
            cutTornTail(file);
        }
        List<RunEvent> present = EventJournal.read(file);
        long last = present.isEmpty() ? 0 : present.get(present.size() - 1).seq();
        return new JournalMirror(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), last);
    }

    /** The last seq in the mirror, 0 when empty. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Appends {@code event} when it is the next one; returns whether it did. */
    public synchronized boolean append(RunEvent event) throws IOException {
        if (event.seq() != lastSeq + 1) {
            return false;
        }
        out.write((EventJournal.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        lastSeq = event.seq();
        return true;
    }

    /** Appends every event of {@code events} that comes next, in order. */
    public synchronized void catchUp(List<RunEvent> events) throws IOException {
        for (RunEvent event : events) {
            append(event);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private static void cutTornTail(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                channel.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                channel.truncate(keep);
            }
        }
    }
}
