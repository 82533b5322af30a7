package org.r1wb.model.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads what {@link SafetensorsWriter} (or any safetensors writer) wrote; a malformed file fails with its path. */
public final class SafetensorsReader {

    /** Headers larger than this are not safetensors files (the format's own limit is 100 MB). */
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafetensorsReader() {
    }

    /** Every tensor and the metadata of {@code file}. */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw new IOException(file + ": " + size + " bytes, too short for a safetensors header");
            }
            long headerLength = readFully(channel, 0, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || Long.BYTES + headerLength > size) {
                throw new IOException(file + ": header length " + headerLength + " does not fit a file of " + size
                        + " bytes (not a safetensors file?)");
            }
            JsonNode header;
            try {
                byte[] json = readFully(channel, Long.BYTES, (int) headerLength).array();
                header = SafetensorsWriter.JSON.readTree(new String(json, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": the header is not JSON: " + e.getOriginalMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": the header is not a JSON object");
            }
            long dataStart = Long.BYTES + headerLength;
            long dataLength = size - dataStart;
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().equals(SafetensorsWriter.METADATA)) {
                    entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    tensors.put(entry.getKey(), tensor(file, channel, entry.getKey(), entry.getValue(),
                            dataStart, dataLength));
                }
            }
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private static StoredTensor tensor(Path file, FileChannel channel, String name, JsonNode node, long dataStart,
                                       long dataLength) throws IOException {
        String where = file + ": tensor " + name;
        TensorType type = TensorType.named(node.path("dtype").asText())
                .orElseThrow(() -> new IOException(where + " has unsupported dtype " + node.path("dtype")));
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(where + " needs a \"shape\" array and \"data_offsets\": [begin, end]");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new IOException(where + " has a negative or non-numeric extent in its shape " + shapeNode);
            }
            elements = Math.multiplyExact(elements, shape[i]);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLength || end - begin != elements * type.bytes()) {
            throw new IOException(where + " has data_offsets [" + begin + ", " + end + ") that do not hold shape "
                    + shapeNode + " of " + type + " within " + dataLength + " data bytes");
        }
        if (end - begin > Integer.MAX_VALUE - 8) {
            throw new IOException(where + " is larger than 2 GiB, more than this reader holds in one array");
        }
        return new StoredTensor(type, shape, readFully(channel, dataStart + begin, (int) (end - begin)).array());
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        buffer.flip();
        return buffer;
    }
}
