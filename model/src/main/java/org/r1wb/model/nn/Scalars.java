package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a Java number on arrays that autograd records. Use these instead of DJL's
 * {@code NDArray.mul(Number)} and {@code div(Number)} wherever a gradient flows (DJL's other number overloads whose
 * backward needs the number, such as {@code pow(Number)}, have the same flaw).
 *
 * <p>Why: DJL's number overloads wrap the number in a libtorch tensor that borrows a Java direct buffer and close
 * it as soon as the op returns. libtorch's autograd keeps that tensor for the backward pass (the gradient of
 * {@code x · c} is {@code grad · c}), but once the Java side is closed the next garbage collection frees the buffer,
 * and the backward pass multiplies by whatever the allocator wrote there. Which steps a collection falls between
 * depends on the JVM's history, so same-seed runs diverged at random steps (issue #4). Here the number lives in a
 * tensor libtorch allocated itself, which the graph keeps alive for as long as it needs it.
 */
public final class Scalars {

    private Scalars() {
    }

    /** {@code x · factor}, safe to differentiate. */
    public static NDArray mul(NDArray x, double factor) {
        try (NDArray c = constant(x, factor)) {
            return x.mul(c);
        }
    }

    /** {@code x / divisor}, safe to differentiate. */
    public static NDArray div(NDArray x, double divisor) {
        try (NDArray c = constant(x, divisor)) {
            return x.div(c);
        }
    }

    /** A 0-d array of {@code x}'s type and device in libtorch-owned memory (a native fill, not a Java buffer). */
    private static NDArray constant(NDArray x, double value) {
        NDArray filled = x.getManager().full(new Shape(), (float) value, x.getDataType());
        if (filled.getDevice().equals(x.getDevice())) {
            return filled;
        }
        try (filled) {
            return filled.toDevice(x.getDevice(), true);
        }
    }
}
