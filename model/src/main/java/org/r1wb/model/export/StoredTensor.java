package org.r1wb.model.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor as a safetensors file holds it: element type, shape and little-endian row-major bytes.
 *
 * @param type  element type
 * @param shape extent of each axis; empty for a scalar
 * @param data  {@code product(shape) · type.bytes()} bytes
 */
public record StoredTensor(TensorType type, long[] shape, byte[] data) {

    /** Checks that the bytes fit the shape. */
    public StoredTensor {
        long expected = elements(shape) * type.bytes();
        if (data.length != expected) {
            throw new IllegalArgumentException("a " + type + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + data.length);
        }
    }

    /** An fp32 tensor of {@code values}, row-major. */
    public static StoredTensor ofFloats(float[] values, long... shape) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new StoredTensor(TensorType.F32, shape.clone(), buffer.array());
    }

    /** An int64 tensor of {@code values}, row-major. */
    public static StoredTensor ofLongs(long[] values, long... shape) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return new StoredTensor(TensorType.I64, shape.clone(), buffer.array());
    }

    /** Number of elements. */
    public long elements() {
        return elements(shape);
    }

    /** The values as floats; F32 as stored, BF16 widened exactly. */
    public float[] floats() {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[Math.toIntExact(elements())];
        switch (type) {
            case F32 -> buffer.asFloatBuffer().get(values);
            case BF16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat((buffer.getShort() & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalStateException("a " + type + " tensor cannot be read as floats; "
                    + "export the weights as F32 (or BF16)");
        }
        return values;
    }

    /** The values of an I64 tensor. */
    public long[] longs() {
        if (type != TensorType.I64) {
            throw new IllegalStateException("a " + type + " tensor cannot be read as int64 values");
        }
        long[] values = new long[Math.toIntExact(elements())];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
        return values;
    }

    private static long elements(long[] shape) {
        long count = 1;
        for (long extent : shape) {
            if (extent < 0) {
                throw new IllegalArgumentException("negative extent in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, extent);
        }
        return count;
    }
}
