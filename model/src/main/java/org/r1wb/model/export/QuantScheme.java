package org.r1wb.model.export;

import java.util.List;
import java.util.Locale;

/**
 * How the projection weights of an exported model are quantized: {@code int8} (symmetric, one scale per output
 * channel, i.e. per row) or {@code q4} (asymmetric 4-bit, one scale and zero point per group of {@code groupSize}
 * consecutive inputs of a row). Embeddings, norms, routers and the LM head stay fp32: they are a small share of the
 * parameters, and the router's top-k is sensitive to small changes of its scores.
 *
 * @param kind      int8 or q4
 * @param groupSize inputs per group for q4 (32, 64 or 128); 0 for int8
 */
public record QuantScheme(Kind kind, int groupSize) {

    /** The two formats. */
    public enum Kind { INT8, Q4 }

    /** The group sizes q4 offers. */
    public static final List<Integer> GROUP_SIZES = List.of(32, 64, 128);

    public QuantScheme {
        if (kind == Kind.INT8 && groupSize != 0) {
            throw new IllegalArgumentException("int8 is per channel: it takes no group size (got " + groupSize + ")");
        }
        if (kind == Kind.Q4 && !GROUP_SIZES.contains(groupSize)) {
            throw new IllegalArgumentException("q4 group size " + groupSize + " is not offered: use one of " + GROUP_SIZES);
        }
    }

    /** Symmetric int8 with one scale per output channel. */
    public static QuantScheme int8() {
        return new QuantScheme(Kind.INT8, 0);
    }

    /** Asymmetric 4-bit with one scale and zero point per {@code groupSize} inputs. */
    public static QuantScheme q4(int groupSize) {
        return new QuantScheme(Kind.Q4, groupSize);
    }

    /** Parses {@code int8}, {@code q4} (group 64) or {@code q4:32}; a bad name says what is offered. */
    public static QuantScheme parse(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split(":", 2);
        switch (parts[0]) {
            case "int8" -> {
                if (parts.length > 1) {
                    throw new IllegalArgumentException("int8 takes no group size: write 'int8'");
                }
                return int8();
            }
            case "q4" -> {
                try {
                    return q4(parts.length > 1 ? Integer.parseInt(parts[1]) : 64);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("q4 group size '" + parts[1] + "' is not a number: use one of " + GROUP_SIZES);
                }
            }
            default -> throw new IllegalArgumentException("no quantization '" + text + "': use int8, q4 or q4:<group> ("
                    + GROUP_SIZES + ")");
        }
    }

    /** The name {@link #parse} reads back: {@code int8} or {@code q4:64}. */
    public String id() {
        return kind == Kind.INT8 ? "int8" : "q4:" + groupSize;
    }

    /** Whether the parameter at {@code path} is quantized: the attention and MLP projections (2-D). */
    public static boolean quantizes(String path, long[] shape) {
        return shape.length == 2 && path.endsWith("_proj");
    }
}
