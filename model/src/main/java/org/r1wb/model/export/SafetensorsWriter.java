package org.r1wb.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the safetensors format (Hugging Face): an unsigned little-endian 64-bit header length, the JSON header
 * ({@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}, padded with spaces to a
 * multiple of 8 bytes so the data is aligned), then every tensor's bytes. Tensors are written in name order, so the
 * same tensors always give the same bytes.
 */
public final class SafetensorsWriter {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String METADATA = "__metadata__";
    private static final int ALIGNMENT = 8;

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} and {@code metadata} to {@code file} atomically (temp file, fsync, rename). */
    public static void write(Path file, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, StoredTensor> ordered = new TreeMap<>(tensors);
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, StoredTensor> entry : ordered.entrySet()) {
            if (entry.getKey().equals(METADATA)) {
                throw new IllegalArgumentException(METADATA + " is reserved and cannot name a tensor");
            }
            StoredTensor tensor = entry.getValue();
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", tensor.type().name());
            var shape = node.putArray("shape");
            for (long extent : tensor.shape()) {
                shape.add(extent);
            }
            node.putArray("data_offsets").add(offset).add(offset + tensor.data().length);
            offset += tensor.data().length;
        }
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                out.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
                out.write(headerBytes);
                for (StoredTensor tensor : ordered.values()) {
                    out.write(tensor.data());
                }
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
