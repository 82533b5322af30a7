package org.r1wb.model.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only, seq-numbered JSON-lines journal of one run ({@code runs/<id>/events.jsonl}).
 *
 * <p>{@code seq} is gap-free from 1, so a reader that reconnects asks for "everything after N" and
 * loses nothing. Each event is written with a single {@code write} call and handed to the OS before
 * {@link #emit} returns; a crash can therefore leave at most one torn last line, which
 * {@link #openForAppend} cuts off and {@link #read} ignores.
 */
public final class EventJournal implements EventSink, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ENVELOPE = {"v", "seq", "run", "t", "type"};

    private final FileChannel channel;
    private final String runId;
    private long lastSeq;

    private EventJournal(FileChannel channel, String runId, long lastSeq) {
        this.channel = channel;
        this.runId = runId;
        this.lastSeq = lastSeq;
    }

    /**
     * Opens (or creates) the journal for appending; continues after the last complete event and
     * drops a torn last line left by a crash.
     */
    public static EventJournal openForAppend(Path file, String runId) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            Scan scan = scan(file);
            channel.truncate(scan.validBytes);
            channel.position(scan.validBytes);
            return new EventJournal(channel, runId, scan.lastSeq);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The seq of the last event written, 0 when the journal is empty. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public void emit(String type, Map<String, ?> fields) {
        append(type, fields);
    }

    /** Appends one event and returns it with its seq and timestamp. */
    public synchronized RunEvent append(String type, Map<String, ?> fields) {
        RunEvent event = new RunEvent(RunEvent.VERSION, lastSeq + 1, runId, System.currentTimeMillis(), type,
                new LinkedHashMap<>(fields));
        byte[] line = (toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the event journal of run " + runId, e);
        }
        lastSeq = event.seq();
        return event;
    }

    /** Forces written events to the storage device (used at checkpoints and at the end of a run). */
    public synchronized void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            channel.force(false);
            channel.close();
        }
    }

    /** Every complete event in the file, in order; a torn last line is ignored. Missing file → empty. */
    public static List<RunEvent> read(Path file) throws IOException {
        return readAfter(file, 0);
    }

    /** The complete events whose seq is greater than {@code afterSeq}. */
    public static List<RunEvent> readAfter(Path file, long afterSeq) throws IOException {
        List<RunEvent> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : completeLines(Files.readAllBytes(file))) {
            RunEvent event = parse(line);
            if (event == null) {
                break;
            }
            if (event.seq() > afterSeq) {
                events.add(event);
            }
        }
        return events;
    }

    /** Serialises an event to its one-line wire form. */
    public static String toJson(RunEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", event.v());
        node.put("seq", event.seq());
        node.put("run", event.run());
        node.put("t", event.t());
        node.put("type", event.type());
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            node.set(field.getKey(), JSON.valueToTree(field.getValue()));
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not serialisable: " + event.fields(), e);
        }
    }

    /** Parses one wire line; {@code null} when it is not a complete, valid event. */
    public static RunEvent parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject() || !node.has("seq") || !node.has("type")) {
                return null;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!isEnvelope(field.getKey())) {
                    fields.put(field.getKey(), JSON.treeToValue(field.getValue(), Object.class));
                }
            }
            return new RunEvent(node.path("v").asInt(), node.get("seq").asLong(), node.path("run").asText(),
                    node.path("t").asLong(), node.get("type").asText(), fields);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean isEnvelope(String key) {
        for (String name : ENVELOPE) {
            if (name.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private record Scan(long validBytes, long lastSeq) { }

    private static Scan scan(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long valid = 0;
        long lastSeq = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                RunEvent event = parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                if (event == null) {
                    break;
                }
                lastSeq = event.seq();
                valid = i + 1L;
                start = i + 1;
            }
        }
        return new Scan(valid, lastSeq);
    }

    private static List<String> completeLines(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return lines;
    }
}
