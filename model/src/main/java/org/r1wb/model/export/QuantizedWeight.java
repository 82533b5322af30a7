package org.r1wb.model.export;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One weight matrix (rows = outputs, cols = inputs) in a {@link QuantScheme}: integer codes plus the scales (and for
 * q4 the zero points) that map them back, {@code w ≈ scale · (code − zero)}. Stored in safetensors as {@code NAME}
 * (int8: I8 of shape (rows, cols); q4: U8 of shape (rows, cols/2), two codes a byte, the even column in the low
 * nibble), {@code NAME.scale} (F32: (rows) for int8, (rows, cols/group) for q4) and, for q4, {@code NAME.zero} (U8,
 * (rows, cols/group)).
 */
public record QuantizedWeight(QuantScheme scheme, int rows, int cols, byte[] codes, float[] scales, byte[] zeros) {

    /** Suffix of the scales tensor. */
    public static final String SCALE = ".scale";
    /** Suffix of the zero points tensor (q4). */
    public static final String ZERO = ".zero";

    private static final int Q4_LEVELS = 15;

    /** Quantizes row-major {@code weights} of shape (rows, cols). */
    public static QuantizedWeight quantize(float[] weights, int rows, int cols, QuantScheme scheme) {
        if (weights.length != rows * cols) {
            throw new IllegalArgumentException(weights.length + " weights for a " + rows + " x " + cols + " matrix");
        }
        return scheme.kind() == QuantScheme.Kind.INT8 ? int8(weights, rows, cols, scheme) : q4(weights, rows, cols, scheme);
    }

    private static QuantizedWeight int8(float[] w, int rows, int cols, QuantScheme scheme) {
        byte[] codes = new byte[rows * cols];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(w[r * cols + c]));
            }
            // an all-zero row keeps scale 1 so that dequantizing never divides by or multiplies with nothing odd
            float scale = max == 0 ? 1f : max / 127f;
            scales[r] = scale;
            for (int c = 0; c < cols; c++) {
                codes[r * cols + c] = (byte) Math.max(-127, Math.min(127, Math.round(w[r * cols + c] / scale)));
            }
        }
        return new QuantizedWeight(scheme, rows, cols, codes, scales, null);
    }

    private static QuantizedWeight q4(float[] w, int rows, int cols, QuantScheme scheme) {
        int group = scheme.groupSize();
        if (cols % group != 0) {
            throw new IllegalArgumentException("q4 with group " + group + " needs inputs in whole groups; this matrix has "
                    + cols + ": choose a group size that divides it");
        }
        int groups = cols / group;
        byte[] codes = new byte[rows * cols / 2];
        float[] scales = new float[rows * groups];
        byte[] zeros = new byte[rows * groups];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                int from = r * cols + g * group;
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = from; i < from + group; i++) {
                    min = Math.min(min, w[i]);
                    max = Math.max(max, w[i]);
                }
                float scale = max > min ? (max - min) / Q4_LEVELS : 1f;
                int zero = Math.max(0, Math.min(Q4_LEVELS, Math.round(-min / scale)));
                scales[r * groups + g] = scale;
                zeros[r * groups + g] = (byte) zero;
                for (int i = from; i < from + group; i++) {
                    int code = Math.max(0, Math.min(Q4_LEVELS, Math.round(w[i] / scale) + zero));
                    int packed = i / 2;
                    codes[packed] = (byte) (i % 2 == 0 ? (codes[packed] & 0xF0) | code : (codes[packed] & 0x0F) | (code << 4));
                }
            }
        }
        return new QuantizedWeight(scheme, rows, cols, codes, scales, zeros);
    }

    /** The weights the codes stand for, row-major (rows, cols). */
    public float[] dequantize() {
        float[] w = new float[rows * cols];
        if (scheme.kind() == QuantScheme.Kind.INT8) {
            for (int i = 0; i < w.length; i++) {
                w[i] = codes[i] * scales[i / cols];
            }
            return w;
        }
        int groups = cols / scheme.groupSize();
        for (int i = 0; i < w.length; i++) {
            int code = i % 2 == 0 ? codes[i / 2] & 0x0F : (codes[i / 2] >> 4) & 0x0F;
            int g = (i / cols) * groups + (i % cols) / scheme.groupSize();
            w[i] = (code - (zeros[g] & 0xFF)) * scales[g];
        }
        return w;
    }

    /** The safetensors entries of this weight under {@code name}. */
    public Map<String, StoredTensor> tensors(String name) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        int groups = scheme.kind() == QuantScheme.Kind.INT8 ? 0 : cols / scheme.groupSize();
        if (groups == 0) {
            out.put(name, new StoredTensor(TensorType.I8, new long[] {rows, cols}, codes));
            out.put(name + SCALE, StoredTensor.ofFloats(scales, rows));
        } else {
            out.put(name, new StoredTensor(TensorType.U8, new long[] {rows, cols / 2}, codes));
            out.put(name + SCALE, StoredTensor.ofFloats(scales, rows, groups));
            out.put(name + ZERO, new StoredTensor(TensorType.U8, new long[] {rows, groups}, zeros));
        }
        return out;
    }

    /** Reads the weight {@code name} back from a file's tensors; shapes are checked against {@code scheme}. */
    public static QuantizedWeight read(String name, Map<String, StoredTensor> tensors, QuantScheme scheme) {
        StoredTensor codes = require(tensors, name);
        StoredTensor scales = require(tensors, name + SCALE);
        boolean int8 = scheme.kind() == QuantScheme.Kind.INT8;
        if (codes.shape().length != 2 || codes.type() != (int8 ? TensorType.I8 : TensorType.U8)) {
            throw new IllegalArgumentException(name + " is " + codes.type() + " of rank " + codes.shape().length
                    + "; " + scheme.id() + " stores a 2-D " + (int8 ? "I8" : "U8") + " tensor");
        }
        int rows = Math.toIntExact(codes.shape()[0]);
        int cols = Math.toIntExact(int8 ? codes.shape()[1] : codes.shape()[1] * 2);
        long expectedScales = int8 ? rows : (long) rows * (cols / scheme.groupSize());
        if (scales.elements() != expectedScales) {
            throw new IllegalArgumentException(name + SCALE + " has " + scales.elements() + " values; a " + rows + " x "
                    + cols + " matrix in " + scheme.id() + " needs " + expectedScales);
        }
        byte[] zeros = int8 ? null : require(tensors, name + ZERO).data();
        if (zeros != null && zeros.length != expectedScales) {
            throw new IllegalArgumentException(name + ZERO + " has " + zeros.length + " values, expected " + expectedScales);
        }
        return new QuantizedWeight(scheme, rows, cols, codes.data(), scales.floats(), zeros);
    }

    private static StoredTensor require(Map<String, StoredTensor> tensors, String name) {
        StoredTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return tensor;
    }
}
