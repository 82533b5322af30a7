package org.r1wb.pipeline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one shard's task did to each document reaching one sharded node, in a binary file: a header
 * ({@code "R1wS"}, version) and then one record per input document, in the shard's order.
 */
final class ShardRecords {

    private static final int MAGIC = 0x52317753; // "R1wS"
    private static final int VERSION = 1;

    private ShardRecords() {
    }

    /** How the node treated the document. */
    enum Kind {
        /** Passed on unchanged. */
        SAME,
        /** Passed on as {@link Record#document} (a reader's document, or text a cleaner changed). */
        CHANGED,
        /** Dropped for {@link Record#dropReason}. */
        DROPPED,
        /** Left for the merge to decide, with the value the stage prepared in {@link Record#prepared}. */
        PREPARED
    }

    /**
     * One document's record.
     *
     * @param segment  the document's segment at this node (see {@link ShardPlan})
     * @param number   its reader's document number
     * @param counts   what the node changed in it (e.g. {@code email → 1})
     */
    record Record(int segment, long number, Kind kind, Document document, String dropReason, byte[] prepared,
                  Map<String, Long> counts) {

        /** The key that sorts a node's records into single-process order. */
        Key key() {
            return new Key(segment, number);
        }
    }

    /** A document's place at a node: its segment, then its reader's document number. */
    record Key(int segment, long number) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int bySegment = Integer.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(number, other.number);
        }
    }

    /** Writes records one by one. */
    static final class Writer implements Closeable {
        private final DataOutputStream out;

        Writer(Path file) throws IOException {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
        }

        void write(Record r) throws IOException {
            out.writeInt(r.segment());
            out.writeLong(r.number());
            out.writeByte(r.kind().ordinal());
            switch (r.kind()) {
                case CHANGED -> {
                    writeString(r.document().id());
                    writeString(r.document().text());
                    writeString(r.document().source());
                    out.writeInt(r.document().metadata().size());
                    for (Map.Entry<String, String> e : r.document().metadata().entrySet()) {
                        writeString(e.getKey());
                        writeString(e.getValue());
                    }
                }
                case DROPPED -> writeString(r.dropReason());
                case PREPARED -> {
                    out.writeInt(r.prepared().length);
                    out.write(r.prepared());
                }
                case SAME -> { }
            }
            out.writeInt(r.counts().size());
            for (Map.Entry<String, Long> count : r.counts().entrySet()) {
                writeString(count.getKey());
                out.writeLong(count.getValue());
            }
        }

        private void writeString(String s) throws IOException {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Every record of {@code file}. */
    static List<Record> readAll(Path file) throws IOException {
        List<Record> records = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + ": not a shard records file of version " + VERSION);
            }
            while (true) {
                int segment;
                try {
                    segment = in.readInt();
                } catch (EOFException end) {
                    return records;
                }
                long number = in.readLong();
                Kind kind = Kind.values()[in.readUnsignedByte()];
                Document document = null;
                String reason = null;
                byte[] prepared = null;
                switch (kind) {
                    case CHANGED -> {
                        String id = readString(in);
                        String text = readString(in);
                        String source = readString(in);
                        Map<String, String> metadata = new LinkedHashMap<>();
                        for (int n = in.readInt(); n > 0; n--) {
                            metadata.put(readString(in), readString(in));
                        }
                        document = new Document(id, text, source, metadata);
                    }
                    case DROPPED -> reason = readString(in);
                    case PREPARED -> prepared = in.readNBytes(in.readInt());
                    case SAME -> { }
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                for (int n = in.readInt(); n > 0; n--) {
                    counts.put(readString(in), in.readLong());
                }
                records.add(new Record(segment, number, kind, document, reason, prepared, counts));
            }
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}
